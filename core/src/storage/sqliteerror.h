// Internal: turns SQLite result codes into cairn::Error values. Not installed, not public API.
#pragma once

#include "cairn/common/error.h"

#include <string>
#include <string_view>

struct sqlite3;

namespace cairn::storage::detail {

// ErrorCode for a SQLite primary/extended result code (BUSY -> Timeout, CORRUPT/NOTADB -> Corrupt, ...).
ErrorCode codeFor(int rc);

// "<what>: <sqlite message>." with the code mapped; context as given.
Error sqliteError(int rc, sqlite3* db, std::string_view what, std::string context);

// SQL shortened to one line of at most 160 characters, for error contexts.
std::string shortSql(std::string_view sql);

} // namespace cairn::storage::detail
