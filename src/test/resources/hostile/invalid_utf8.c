/* Writes bytes that are not UTF-8 around plain text. */
#include <stdio.h>

int main(void) {
    fwrite("\xff\xfe" "abc" "\xc3", 1, 6, stdout);
    return 0;
}
