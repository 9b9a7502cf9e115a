#pragma once
/// \file
/// `bcma::Result<T, E>`: a value or an error, shaped like C++23 `std::expected` (which GCC 12
/// does not offer in C++20). Errors are values that say what went wrong and where; components
/// never throw across their boundaries.

#include <cassert>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace bcma {

/// The general error used where a component has no more specific error type: a stable
/// snake_case code a program can match on, and a message a person can act on.
struct Error {
  std::string code;
  std::string message;

  friend bool operator==(const Error&, const Error&) = default;
};

/// Wraps an error so that `return Unexpected{...}` converts into any `Result<T, E>`.
template <class E>
class Unexpected {
 public:
  explicit Unexpected(E error) : error_(std::move(error)) {}
  const E& error() const& { return error_; }
  E&& error() && { return std::move(error_); }

 private:
  E error_;
};

template <class E>
Unexpected(E) -> Unexpected<E>;

/// Shorthand for the common case: `return fail("unknown_resident", "No resident ...");`
inline Unexpected<Error> fail(std::string code, std::string message) {
  return Unexpected<Error>(Error{std::move(code), std::move(message)});
}

template <class T, class E = Error>
class [[nodiscard]] Result {
  static_assert(!std::is_reference_v<T>, "Result<T&> is not supported");

 public:
  using value_type = T;
  using error_type = E;

  Result()
    requires std::is_default_constructible_v<T>
      : data_(std::in_place_index<0>) {}
  Result(const T& value) : data_(std::in_place_index<0>, value) {}  // NOLINT(implicit)
  Result(T&& value) : data_(std::in_place_index<0>, std::move(value)) {}  // NOLINT(implicit)
  template <class U>
    requires(std::is_constructible_v<T, U &&> && !std::is_same_v<std::decay_t<U>, T> &&
             !std::is_same_v<std::decay_t<U>, Result> &&
             !std::is_same_v<std::decay_t<U>, Unexpected<E>>)
  Result(U&& value) : data_(std::in_place_index<0>, T(std::forward<U>(value))) {}  // NOLINT
  template <class G>
    requires std::is_constructible_v<E, const G&>
  Result(const Unexpected<G>& u) : data_(std::in_place_index<1>, E(u.error())) {}  // NOLINT
  template <class G>
    requires std::is_constructible_v<E, G &&>
  Result(Unexpected<G>&& u) : data_(std::in_place_index<1>, E(std::move(u).error())) {}  // NOLINT

  bool has_value() const noexcept { return data_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    assert(has_value());
    return std::get<0>(data_);
  }
  const T& value() const& {
    assert(has_value());
    return std::get<0>(data_);
  }
  T&& value() && {
    assert(has_value());
    return std::get<0>(std::move(data_));
  }
  const E& error() const& {
    assert(!has_value());
    return std::get<1>(data_);
  }
  E&& error() && {
    assert(!has_value());
    return std::get<1>(std::move(data_));
  }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <class U>
  T value_or(U&& fallback) const& {
    return has_value() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<T, E> data_;
};

/// A result that carries no value: success, or an error.
template <class E>
class [[nodiscard]] Result<void, E> {
 public:
  using value_type = void;
  using error_type = E;

  Result() = default;
  template <class G>
    requires std::is_constructible_v<E, const G&>
  Result(const Unexpected<G>& u) : error_(E(u.error())), ok_(false) {}  // NOLINT
  template <class G>
    requires std::is_constructible_v<E, G &&>
  Result(Unexpected<G>&& u) : error_(E(std::move(u).error())), ok_(false) {}  // NOLINT

  bool has_value() const noexcept { return ok_; }
  explicit operator bool() const noexcept { return ok_; }
  void value() const { assert(ok_); }
  const E& error() const& {
    assert(!ok_);
    return error_;
  }
  E&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  E error_{};
  bool ok_ = true;
};

/// Success for `Result<void, E>`.
template <class E = Error>
Result<void, E> ok() {
  return {};
}

}  // namespace bcma
