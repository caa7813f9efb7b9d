// Every level doubles the number of distinct types to instantiate: 2^40 of them, far beyond any compile limit.
template <class T, int N>
struct Bomb {
    using Left = Bomb<Bomb<T, N - 1>, N - 1>;
    using Right = Bomb<T*, N - 1>;
    static const long value = Left::value + Right::value;
};

template <class T>
struct Bomb<T, 0> {
    static const long value = 1;
};

int main() {
    return Bomb<int, 40>::value == 0;
}
