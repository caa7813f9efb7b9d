/* Allocates and touches memory until something stops it. */
#include <stdlib.h>
#include <string.h>

int main(void) {
    for (;;) {
        char *block = malloc(1 << 20);
        if (block == NULL) {
            return 3;
        }
        memset(block, 1, 1 << 20);
    }
}
