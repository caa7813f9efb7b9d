/* Writes an ever-growing file in the job directory until the file size limit stops it. */
#include <stdio.h>
#include <string.h>

int main(void) {
    static char block[1 << 20];
    memset(block, 'x', sizeof block);
    FILE *out = fopen("huge.bin", "wb");
    if (out == NULL) {
        return 2;
    }
    for (;;) {
        if (fwrite(block, 1, sizeof block, out) != sizeof block) {
            return 3;
        }
    }
}
