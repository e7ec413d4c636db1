#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
#include <time.h>
static long wb(void){FILE*f=fopen("/proc/self/io","r");char l[256];long v=0;while(fgets(l,256,f)) if(!strncmp(l,"write_bytes:",12)) v=atol(l+12);fclose(f);return v;}
static double now(void){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec/1e9;}
int main(int argc,char**argv){
  // argv: file mode(populate: mmap|pwrite) advice(normal|random) dirty(mmap|pwrite) pages rounds
  const char*fn=argv[1]; int pop_mmap=!strcmp(argv[2],"mmap"); int rnd=!strcmp(argv[3],"random"); int d_mmap=!strcmp(argv[4],"mmap");
  int pages=atoi(argv[5]), rounds=atoi(argv[6]); long size=200L<<20;
  int fd=open(fn,O_RDWR|O_CREAT|O_TRUNC,0644); posix_fallocate(fd,0,size);
  char*m=mmap(0,size,PROT_READ|PROT_WRITE,MAP_SHARED,fd,0);
  if(rnd) madvise(m,size,MADV_RANDOM);
  char buf[4096]; memset(buf,7,4096);
  if(pop_mmap){ for(long o=0;o<size;o+=4096) memset(m+o,1,4096); msync(m,size,MS_SYNC);} else { for(long o=0;o<size;o+=4096) pwrite(fd,buf,4096,o); fdatasync(fd);}
  long w0=wb(); double t0=now(); srand(1);
  for(int r=0;r<rounds;r++){ for(int i=0;i<pages;i++){ long p=rand()%(size/4096); if(d_mmap) m[p*4096+100]=r; else pwrite(fd,buf,4096,p*4096);} if(d_mmap) msync(m,size,MS_SYNC); else fdatasync(fd);}
  double t=now()-t0; long w=wb()-w0;
  printf("%s pop=%s adv=%s dirty=%s: %.2f ms/round, %ld KB written/round (%d pages dirtied)\n",fn,argv[2],argv[3],argv[4],t*1000/rounds,w/1024/rounds,pages);
  unlink(fn); return 0;}
