#include "cairn/storage/workspace.h"

#include "storage/sqliteerror.h"

#include <sqlite3.h>

#include <utility>

namespace cairn::storage {

Statement::Statement(Connection* connection, sqlite3_stmt* stmt)
    : m_connection(connection)
    , m_stmt(stmt) {}

Statement::Statement(Statement&& other) noexcept
    : m_connection(std::exchange(other.m_connection, nullptr))
    , m_stmt(std::exchange(other.m_stmt, nullptr))
    , m_bindError(std::exchange(other.m_bindError, std::nullopt)) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (m_stmt)
            sqlite3_finalize(m_stmt);
        m_connection = std::exchange(other.m_connection, nullptr);
        m_stmt = std::exchange(other.m_stmt, nullptr);
        m_bindError = std::exchange(other.m_bindError, std::nullopt);
    }
    return *this;
}

Statement::~Statement() {
    if (m_stmt)
        sqlite3_finalize(m_stmt);
}

std::string Statement::sql() const {
    const char* s = m_stmt ? sqlite3_sql(m_stmt) : nullptr;
    return s ? std::string(s) : std::string();
}

void Statement::noteBind(int rc, int index) {
    if (rc == SQLITE_OK || m_bindError)
        return;
    m_bindError =
        Error{detail::codeFor(rc),
              "Could not bind SQL parameter " + std::to_string(index) + ": " + sqlite3_errstr(rc) + ".",
              detail::shortSql(sql())};
}

void Statement::bindNull(int index) {
    noteBind(sqlite3_bind_null(m_stmt, index), index);
}

void Statement::bindInt64(int index, std::int64_t v) {
    noteBind(sqlite3_bind_int64(m_stmt, index, v), index);
}

void Statement::bindDouble(int index, double v) {
    noteBind(sqlite3_bind_double(m_stmt, index, v), index);
}

void Statement::bindText(int index, std::string_view v) {
    noteBind(sqlite3_bind_text64(m_stmt, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
}

void Statement::bindBlob(int index, std::span<const std::byte> v) {
    // A zero-length blob with a null pointer would bind NULL; use zeroblob to keep it a BLOB.
    if (v.empty())
        noteBind(sqlite3_bind_zeroblob(m_stmt, index, 0), index);
    else
        noteBind(sqlite3_bind_blob64(m_stmt, index, v.data(), v.size(), SQLITE_TRANSIENT), index);
}

int Statement::parameterIndex(std::string_view name) const {
    return sqlite3_bind_parameter_index(m_stmt, std::string(name).c_str());
}

Result<bool> Statement::step() {
    if (m_bindError) {
        Error e = std::move(*m_bindError);
        m_bindError.reset();
        return std::unexpected(std::move(e));
    }
    auto lock = m_connection->lock();
    const int rc = sqlite3_step(m_stmt);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    Error e = detail::sqliteError(rc, m_connection->handle(), "The workspace query failed",
                                  detail::shortSql(sql()));
    sqlite3_reset(m_stmt);
    return std::unexpected(std::move(e));
}

Result<void> Statement::run() {
    while (true) {
        auto r = step();
        if (!r)
            return std::unexpected(r.error());
        if (!*r)
            break;
    }
    reset();
    return {};
}

void Statement::reset() {
    sqlite3_reset(m_stmt);
}

void Statement::clearBindings() {
    sqlite3_clear_bindings(m_stmt);
    m_bindError.reset();
}

int Statement::columnCount() const {
    return sqlite3_column_count(m_stmt);
}

std::string Statement::columnName(int col) const {
    const char* n = sqlite3_column_name(m_stmt, col);
    return n ? std::string(n) : std::string();
}

bool Statement::isNull(int col) const {
    return sqlite3_column_type(m_stmt, col) == SQLITE_NULL;
}

std::int64_t Statement::int64(int col) const {
    return sqlite3_column_int64(m_stmt, col);
}

double Statement::real(int col) const {
    return sqlite3_column_double(m_stmt, col);
}

std::string_view Statement::textView(int col) const {
    const auto* p = sqlite3_column_text(m_stmt, col);
    const int n = sqlite3_column_bytes(m_stmt, col);
    if (!p)
        return {};
    return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};
}

std::string Statement::text(int col) const {
    return std::string(textView(col));
}

Blob Statement::blob(int col) const {
    const auto* p = static_cast<const std::byte*>(sqlite3_column_blob(m_stmt, col));
    const int n = sqlite3_column_bytes(m_stmt, col);
    if (!p || n <= 0)
        return {};
    return Blob(p, p + n);
}

} // namespace cairn::storage
