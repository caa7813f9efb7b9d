/* The file includes itself twice at every level down to 40: 2^40 inclusions to preprocess, in constant memory,
   so that the compiler proper (cc1) runs out of CPU time while the gcc driver above it survives to report it. */
#if __INCLUDE_LEVEL__ < 40
#include __FILE__
#include __FILE__
#endif

#if __INCLUDE_LEVEL__ == 0
int main(void) {
    return 0;
}
#endif
