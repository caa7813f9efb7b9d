/* The preprocessor reads an endless device as if it were a header. */
#include "/dev/random"

int main(void) {
    return 0;
}
