#include "cairn/common/error.h"

namespace cairn {

std::string_view toString(ErrorCode code) {
    switch (code) {
    case ErrorCode::InvalidArgument:
        return "invalid argument";
    case ErrorCode::NotFound:
        return "not found";
    case ErrorCode::Io:
        return "I/O error";
    case ErrorCode::Network:
        return "network error";
    case ErrorCode::Timeout:
        return "timeout";
    case ErrorCode::HttpStatus:
        return "HTTP error";
    case ErrorCode::Parse:
        return "parse error";
    case ErrorCode::Database:
        return "database error";
    case ErrorCode::Corrupt:
        return "corrupt data";
    case ErrorCode::VersionTooNew:
        return "version too new";
    case ErrorCode::Unsupported:
        return "unsupported";
    case ErrorCode::LimitExceeded:
        return "limit exceeded";
    case ErrorCode::PermissionDenied:
        return "permission denied";
    case ErrorCode::Cancelled:
        return "cancelled";
    case ErrorCode::InsufficientData:
        return "insufficient data";
    case ErrorCode::Internal:
        return "internal error";
    }
    return "unknown error";
}

std::string Error::what() const {
    if (context.empty())
        return message;
    return message + " (" + context + ")";
}

} // namespace cairn
