// kSanitized: true in builds with AddressSanitizer, ThreadSanitizer or
// MemorySanitizer, where code runs several times slower and freed memory is
// held back (quarantine), so timing and RSS bounds of tests are relaxed.
#pragma once

namespace winnet::testing {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitized = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || \
    __has_feature(memory_sanitizer)
inline constexpr bool kSanitized = true;
#else
inline constexpr bool kSanitized = false;
#endif
#else
inline constexpr bool kSanitized = false;
#endif

}  // namespace winnet::testing
