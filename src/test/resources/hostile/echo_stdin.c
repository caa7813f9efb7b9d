/* Copies stdin to stdout, for the 1 MiB round trip. */
#include <stdio.h>

int main(void) {
    char buffer[65536];
    size_t n;
    while ((n = fread(buffer, 1, sizeof buffer, stdin)) > 0) {
        fwrite(buffer, 1, n, stdout);
    }
    return 0;
}
