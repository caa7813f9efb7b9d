/* Forks until the process limit stops it, and every child keeps forking and burning CPU. */
#include <unistd.h>

int main(void) {
    for (;;) {
        fork();
    }
}
