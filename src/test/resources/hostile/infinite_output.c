/* Prints without end; a pipe is not limited by RLIMIT_FSIZE. */
#include <stdio.h>

int main(void) {
    for (;;) {
        fputs("spam spam spam spam spam spam spam spam\n", stdout);
    }
}
