// Grows a vector of touched megabytes until something stops it.
#include <vector>

int main() {
    std::vector<std::vector<char>> blocks;
    for (;;) {
        blocks.emplace_back(1 << 20, 1);
    }
}
