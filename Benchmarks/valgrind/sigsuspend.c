/* LD_PRELOAD shim that lets valgrind 3.19 run Swift programs with an async main.
   Such a program parks its main thread in libdispatch's signal thread, which calls
   sigsuspend() with a mask in read-only memory; valgrind rewrites the mask in place and
   dies of SIGSEGV. Passing a copy on the stack changes nothing else.
   Built and used by Benchmarks/run.py (instruction counts). */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

int sigsuspend(const sigset_t *mask) {
    sigset_t copy = *mask;
    return (int)syscall(SYS_rt_sigsuspend, &copy, sizeof(unsigned long));
}
