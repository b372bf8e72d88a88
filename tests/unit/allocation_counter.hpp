#pragma once
// Counts heap allocations made through operator new, so tests can check that a hot-path stage
// allocates nothing per record. Exactly one source file of a test binary defines
// RS_DEFINE_ALLOCATION_COUNTER before including this header: that file replaces the global
// operator new/delete for the whole binary (counting only; memory comes from malloc as usual).
// The over-aligned forms are left to the library: they pair among themselves.

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace ratingstream::testing {

inline std::atomic<long> g_allocations{0};

// Allocations made while `body` runs.
template <typename Body>
long allocations_during(Body&& body) {
  const long before = g_allocations.load();
  body();
  return g_allocations.load() - before;
}

}  // namespace ratingstream::testing

#ifdef RS_DEFINE_ALLOCATION_COUNTER
#include <gtest/gtest.h>

#include <memory>
#include <string>

// Proves the replacement is in effect, so that "0 allocations" elsewhere means something.
TEST(AllocationCounter, CountsHeapAllocations) {
  static std::unique_ptr<std::string> escape;
  EXPECT_GE(ratingstream::testing::allocations_during([] { escape = std::make_unique<std::string>(100, 'x'); }), 2);
  escape.reset();
}

// GCC at -O2 sees malloc'd memory reach free() through these replacements and warns of a
// mismatch; here the pairing is deliberate (new -> malloc, delete -> free), so the warning is off.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  ratingstream::testing::g_allocations.fetch_add(1);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
// Every form that frees with operator delete must allocate here too (sanitizers check pairs).
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  ratingstream::testing::g_allocations.fetch_add(1);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return ::operator new(size, tag); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop
#endif
