// Error values and Result<T>: how every expected failure crosses the core API (no exceptions).
// An Error carries a code, one human sentence and context (which source, URL, query or file).
// Thread-safety: plain values, safe to copy between threads.
#pragma once

#include <expected>
#include <string>
#include <string_view>

namespace cairn {

enum class ErrorCode {
    InvalidArgument,  // the caller passed something malformed (bad option, bad selector)
    NotFound,         // file, series, trace or record does not exist
    Io,               // reading or writing a file failed
    Network,          // connection refused, DNS, TLS, reset
    Timeout,          // an operation ran past its deadline
    HttpStatus,       // the server answered with a non-success status
    Parse,            // malformed JSON, CSV, log line or response
    Database,         // SQLite failure
    Corrupt,          // stored data failed an integrity check
    VersionTooNew,    // a file was written by a newer Cairn
    Unsupported,      // valid request that this component cannot serve
    LimitExceeded,    // a size, depth or count limit cut the operation off
    PermissionDenied, // policy or the operating system refused
    Cancelled,        // the caller's cancel token fired
    InsufficientData, // a numerical routine had too little data to answer
    Internal,         // a bug: should never reach a user
};

std::string_view toString(ErrorCode code);

struct Error {
    ErrorCode code = ErrorCode::Internal;
    std::string message; // one sentence a user can read
    std::string context; // where: source name, URL, file:line, query

    // "message (context)" — what the UI and the CLI print.
    std::string what() const;
};

template <class T> using Result = std::expected<T, Error>;

// Convenience for `return fail(ErrorCode::Parse, "...", path);`
inline std::unexpected<Error> fail(ErrorCode code, std::string message, std::string context = {}) {
    return std::unexpected(Error{code, std::move(message), std::move(context)});
}

} // namespace cairn
