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
  // argv: file drop(0/1) willneed(0/1) readall(0/1) pages rounds
  const char*fn=argv[1]; int drop=atoi(argv[2]), will=atoi(argv[3]), readall=atoi(argv[4]); int pages=atoi(argv[5]), rounds=atoi(argv[6]); long size=200L<<20;
  int fd=open(fn,O_RDWR|O_CREAT|O_TRUNC,0644); posix_fallocate(fd,0,size);
  char*m=mmap(0,size,PROT_READ|PROT_WRITE,MAP_SHARED,fd,0);
  for(long o=0;o<size;o+=4096) memset(m+o,1,4096); msync(m,size,MS_SYNC); munmap(m,size);
  double tr=now();
  if(drop) posix_fadvise(fd,0,size,POSIX_FADV_DONTNEED);
  m=mmap(0,size,PROT_READ|PROT_WRITE,MAP_SHARED,fd,0); madvise(m,size,MADV_RANDOM);
  if(will) madvise(m,size,MADV_WILLNEED);
  volatile long s=0; if(readall) for(long o=0;o<size;o+=4096) s+=m[o];
  tr=now()-tr;
  long w0=wb(); double t0=now(); srand(1);
  for(int r=0;r<rounds;r++){ for(int i=0;i<pages;i++){ long p=rand()%(size/4096); m[p*4096+100]=r;} msync(m,size,MS_SYNC);}
  double t=now()-t0; long w=wb()-w0;
  printf("drop=%d willneed=%d readall=%d: reopen+read %.0f ms; %.2f ms/round, %ld KB written/round (%d pages dirtied)\n",drop,will,readall,tr*1000,t*1000/rounds,w/1024/rounds,pages);
  unlink(fn); return 0;}
