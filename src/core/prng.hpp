// Deterministic, platform-independent PRNG (splitmix64 seeding + xoshiro256**) for generators and tests.
#pragma once

#include <array>
#include <cassert>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>

namespace sb::core {

//! One splitmix64 step: advances `state` and returns the next output. Used to expand seeds.
inline uint64_t splitmix64(uint64_t& state) {
  constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ULL;
  constexpr uint64_t kMul1 = 0xbf58476d1ce4e5b9ULL;
  constexpr uint64_t kMul2 = 0x94d049bb133111ebULL;
  state += kGamma;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * kMul1;
  z = (z ^ (z >> 27)) * kMul2;
  return z ^ (z >> 31);
}

//! A seed for an independent stream identified by (seed, stream, index), so that item n of a
//! generated sequence can be produced without producing items 0..n-1 first.
inline uint64_t derive_seed(uint64_t seed, uint64_t stream, uint64_t index) {
  uint64_t state = seed;
  uint64_t mixed = splitmix64(state);
  state = mixed ^ stream;
  mixed = splitmix64(state);
  state = mixed ^ index;
  return splitmix64(state);
}

//! xoshiro256** (Blackman & Vigna). Only integer arithmetic with defined wrap-around, so a seed
//! yields the same sequence with every compiler and standard library.
class Prng {
 public:
  explicit Prng(uint64_t seed) {
    uint64_t state = seed;
    for (auto& word : state_) word = splitmix64(state);
  }

  uint64_t next_u64() {
    const uint64_t result = rotl(state_[1] * kOutMul1, kOutRot) * kOutMul2;
    const uint64_t t = state_[1] << kShift;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= t;
    state_[3] = rotl(state_[3], kStateRot);
    return result;
  }

  //! Uniform integer in [lo, hi] (inclusive). Rejection sampling removes the modulo bias;
  //! std::uniform_int_distribution is avoided because its algorithm differs between libraries.
  int64_t uniform(int64_t lo, int64_t hi) {
    assert(lo <= hi);
    const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
    if (span == std::numeric_limits<uint64_t>::max()) return static_cast<int64_t>(next_u64());
    const uint64_t range = span + 1;
    // Values below `threshold` would make some residues one draw more likely than others.
    const uint64_t threshold = (0 - range) % range;
    uint64_t draw = next_u64();
    while (draw < threshold) draw = next_u64();
    return static_cast<int64_t>(static_cast<uint64_t>(lo) + draw % range);
  }

  //! Uniform unsigned integer in [lo, hi] (inclusive).
  uint64_t uniform_u64(uint64_t lo, uint64_t hi) {
    assert(lo <= hi);
    const uint64_t span = hi - lo;
    if (span == std::numeric_limits<uint64_t>::max()) return next_u64();
    const uint64_t range = span + 1;
    const uint64_t threshold = (0 - range) % range;
    uint64_t draw = next_u64();
    while (draw < threshold) draw = next_u64();
    return lo + draw % range;
  }

  //! Uniform double in [0, 1) built from the top 53 bits, exact in IEEE-754 arithmetic.
  double unit_double() {
    constexpr int kMantissaBits = 53;
    constexpr double kScale = 1.0 / static_cast<double>(uint64_t{1} << kMantissaBits);
    return static_cast<double>(next_u64() >> (64 - kMantissaBits)) * kScale;
  }

  //! Uniform double in [lo, hi).
  double uniform_double(double lo, double hi) {
    // Two statements so no compiler fuses them into one FMA, which rounds differently on some CPUs.
    const double offset = (hi - lo) * unit_double();
    return lo + offset;
  }

  //! True with probability `p` (p <= 0 never, p >= 1 always).
  bool chance(double p) { return unit_double() < p; }

  //! A uniformly chosen element; `items` must not be empty.
  template <typename T, std::size_t N>
  T& pick(std::span<T, N> items) {
    assert(!items.empty());
    return items[static_cast<std::size_t>(uniform_u64(0, items.size() - 1))];
  }
  template <typename T, std::size_t N>
  const T& pick(const std::array<T, N>& items) {
    return pick(std::span<const T, N>(items));
  }

 private:
  static constexpr uint64_t kOutMul1 = 5;
  static constexpr uint64_t kOutMul2 = 9;
  static constexpr int kOutRot = 7;
  static constexpr int kShift = 17;
  static constexpr int kStateRot = 45;

  static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  std::array<uint64_t, 4> state_{};
};

}  // namespace sb::core
