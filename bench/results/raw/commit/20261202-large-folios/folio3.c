#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/mman.h>
static long wb(void){FILE*f=fopen("/proc/self/io","r");char l[256];long v=0;while(fgets(l,256,f)) if(!strncmp(l,"write_bytes:",12)) v=atol(l+12);fclose(f);return v;}
int main(int argc,char**argv){
  long size=atol(argv[2])<<20; int pages=atoi(argv[3]); const char*fn=argv[1];
  int fd=open(fn,O_RDWR|O_CREAT|O_TRUNC,0644); char buf[4096]; memset(buf,7,4096);
  for(long o=0;o<size;o+=4096) pwrite(fd,buf,4096,o); fdatasync(fd); posix_fadvise(fd,0,0,POSIX_FADV_DONTNEED);
  static char big[1<<20]; int rfd=open(fn,O_RDONLY); while(read(rfd,big,sizeof big)>0); close(rfd);
  char*m=mmap(0,size,PROT_READ|PROT_WRITE,MAP_SHARED,fd,0);
  long w0=wb(); srand(1); for(int i=0;i<pages;i++){ long p=rand()%(size/4096); m[p*4096+100]=1;} msync(m,size,MS_SYNC);
  printf("size %ld MB: %ld KB written for %d pages\n", size>>20, (wb()-w0)/1024, pages); unlink(fn); return 0;}
