// The workspace: Cairn's one SQLite database (anomalies, feedback, incidents, audit log, settings of
// record). This header is the whole storage API; read it top to bottom before persisting anything.
//
// WHERE: $XDG_DATA_HOME/cairn/workspace.db, or ~/.local/share/cairn/workspace.db when XDG_DATA_HOME is
//   unset or not absolute (defaultWorkspacePath()). Tests get a private XDG_DATA_HOME from CTest.
// HOW IT IS OPENED: WAL journal, foreign keys ON, a busy timeout (5 s by default), synchronous=NORMAL
//   (a committed transaction survives a process crash; a power cut may lose the last few ones, never
//   corrupt the file). The file is opened ONCE PER PROCESS: Workspace::open() on a path that is already
//   open in this process RETURNS THE SAME INSTANCE (a shared_ptr to it), after applying any migrations
//   the second caller passed that the first did not. When the last shared_ptr goes, the file is closed
//   and a later open() opens it afresh.
// WHAT IS REFUSED (the file is never modified in these cases, not even its header):
//   - not a SQLite database, or PRAGMA quick_check/integrity_check fails  -> ErrorCode::Corrupt
//   - a SQLite database of another application (its application_id)    -> ErrorCode::Unsupported
//   - an area's stored schema version is newer than the newest step this build knows for that area
//     (the file was written by a newer Cairn)                          -> ErrorCode::VersionTooNew
//   Areas stored in the file that this build does not know at all are left alone (a newer Cairn added
//   them); that is not an error.
//
// MIGRATIONS — each area owns its tables and registers its own steps; there is no central list.
//   In any core .cpp of your area (core is a shared library, so the static object always runs):
//
//     #include "cairn/storage/workspace.h"
//     namespace {
//     const cairn::storage::RegisterMigrations kDetectSchema{"detect", {
//         {1, "CREATE TABLE detect_anomaly(id INTEGER PRIMARY KEY, series TEXT NOT NULL,"
//             " start_ms INTEGER NOT NULL, end_ms INTEGER NOT NULL, score REAL NOT NULL);"
//             "CREATE INDEX detect_anomaly_series ON detect_anomaly(series, start_ms);"},
//         {2, "ALTER TABLE detect_anomaly ADD COLUMN detector TEXT NOT NULL DEFAULT ''"},
//     }};
//     } // namespace
//
//   Outside core (plugins, ui) call registerMigrations(...) before the first Workspace::open(), or
//   pass them in OpenOptions::migrations, or apply them later with Workspace::applyMigrations().
//   Rules: prefix your tables with your area name; never edit or renumber a step that has shipped,
//   add a new one; versions are positive and strictly increasing (gaps allowed). Each step runs in its
//   own transaction together with the update of its area's row in the `cairn_schema` table (area,
//   version, applied_ms), so a step is applied exactly once even if two processes open the same file
//   at the same moment. A step is SQL (several statements allowed) and/or a C++ function for data
//   migrations. Areas are applied in dependsOn order, then by name; dependsOn lets a table reference
//   another area's table with a foreign key.
//
// USING IT:
//     auto ws = cairn::storage::Workspace::openDefault();              // Result<shared_ptr<Workspace>>
//     if (!ws) { report(ws.error().what()); return; }
//     auto r = (*ws)->transaction([&]() -> cairn::Result<std::int64_t> {
//         auto id = (*ws)->insert("INSERT INTO detect_anomaly(series, start_ms, end_ms, score)"
//                                 " VALUES (?, ?, ?, ?)", series, a.startMs, a.endMs, a.score);
//         if (!id) return id;                                            // rolls back
//         if (auto u = (*ws)->execute("UPDATE ... WHERE id = ?", *id); !u)
//             return std::unexpected(u.error());                         // rolls back
//         return *id;                                                    // commits
//     });
//     auto st = (*ws)->prepare("SELECT id, score FROM detect_anomaly WHERE series = ?");
//     if (!st) ...; st->bind(1, series);
//     while (true) { auto row = st->step(); if (!row) ...error...; if (!*row) break;
//                    use(st->int64(0), st->real(1)); }
//
// THREAD-SAFETY: a Connection (and the Workspace, which is one) may be used from any thread. Each
//   call takes the connection's lock; transaction() holds it from BEGIN to COMMIT, so other threads'
//   calls on the same connection wait and never land inside someone else's transaction. Keep work on
//   the shared connection short. For long reads on a worker thread, open a private read-only
//   connection with Workspace::openReader() (WAL lets readers run in parallel with the writer).
//   A Statement belongs to one thread at a time and must not outlive its Connection.
// UNITS: store time as INTEGER UTC milliseconds (cairn::TimeMs) unless a column name says otherwise.
#pragma once

#include "cairn/common/error.h"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace cairn::storage {

class Connection;

// ---------------------------------------------------------------------------------------------
// Migrations
// ---------------------------------------------------------------------------------------------

// One schema step of an area. `sql` runs first (may hold several ';'-separated statements), then
// `apply` if set (for data migrations that need code). Both run inside the step's transaction; an
// error rolls the step back and makes open() fail with that error.
struct MigrationStep {
    int version = 0;
    std::string sql;
    std::function<Result<void>(Connection&)> apply = {};
};

// All steps of one area, e.g. {"detect", {{1, "CREATE TABLE ..."}, {2, "..."}}}.
struct Migration {
    std::string area;                     // [a-z0-9_]+, unique per process
    std::vector<MigrationStep> steps;     // strictly increasing positive versions
    std::vector<std::string> dependsOn{}; // areas whose steps must be applied first
};

// Adds an area to the process-wide registry used by every later Workspace::open(). Registering the
// same area twice with the same step versions and SQL is harmless; a conflicting second
// registration makes the next open() fail with InvalidArgument naming the area. Thread-safe.
void registerMigrations(Migration migration);

// Everything registered so far, in registration order. Thread-safe.
std::vector<Migration> registeredMigrations();

// Static-registration helper: `const RegisterMigrations kSchema{"area", {{1, "CREATE ..."}}};`
struct RegisterMigrations {
    RegisterMigrations(std::string area, std::vector<MigrationStep> steps,
                       std::vector<std::string> dependsOn = {});
};

// ---------------------------------------------------------------------------------------------
// Statement — a prepared statement. Obtain one from Connection::prepare().
// ---------------------------------------------------------------------------------------------

// A SQLite BLOB parameter or value.
using Blob = std::vector<std::byte>;

class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    // Binds parameter `index` (1-based, as in SQL '?'): integers and bool (INTEGER), floating point
    // (REAL; NaN is stored as NULL by SQLite), anything convertible to std::string_view (TEXT, copied),
    // std::nullptr_t and an empty std::optional (NULL), Blob / std::span<const std::byte> (BLOB).
    // Bind errors (index out of range) are remembered and returned by the next step()/run().
    template <class T> Statement& bind(int index, const T& value);
    // Binds args to parameters 1..N.
    template <class... A> Statement& bindAll(const A&... args) {
        int i = 0;
        (bind(++i, args), ...);
        return *this;
    }
    // Binds by name, e.g. ":series".
    template <class T> Statement& bind(std::string_view name, const T& value) {
        return bind(parameterIndex(name), value);
    }
    int parameterIndex(std::string_view name) const; // 0 when there is no such parameter

    // Advances: true = a row is available through the column accessors, false = done.
    Result<bool> step();
    // Steps until done (for INSERT/UPDATE/DELETE/DDL), then resets so the statement can be re-bound.
    Result<void> run();
    // Makes the statement runnable again; bindings are kept until clearBindings().
    void reset();
    void clearBindings();

    // Column accessors for the current row (0-based column index). NULL reads as 0 / 0.0 / "" / {}.
    int columnCount() const;
    std::string columnName(int col) const;
    bool isNull(int col) const;
    std::int64_t int64(int col) const;
    double real(int col) const;
    std::string text(int col) const;
    std::string_view textView(int col) const; // valid until the next step()/reset()
    Blob blob(int col) const;
    // Typed access: get<std::int64_t>, get<int>, get<double>, get<bool>, get<std::string>, get<Blob>,
    // get<std::optional<X>> (nullopt for NULL).
    template <class T> T get(int col) const;

    sqlite3_stmt* handle() const { return m_stmt; }
    std::string sql() const;

private:
    friend class Connection;
    Statement(Connection* connection, sqlite3_stmt* stmt);
    void bindNull(int index);
    void bindInt64(int index, std::int64_t v);
    void bindDouble(int index, double v);
    void bindText(int index, std::string_view v);
    void bindBlob(int index, std::span<const std::byte> v);
    void noteBind(int rc, int index);

    Connection* m_connection = nullptr;
    sqlite3_stmt* m_stmt = nullptr;
    std::optional<Error> m_bindError;
};

// ---------------------------------------------------------------------------------------------
// Connection — one SQLite connection with Cairn's error handling and locking.
// ---------------------------------------------------------------------------------------------

class Connection {
public:
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;
    virtual ~Connection();

    // Runs one or more ';'-separated statements without parameters (DDL, PRAGMA, fixed DML).
    Result<void> exec(std::string_view sql);

    // Compiles one statement. Errors name the SQL in their context.
    Result<Statement> prepare(std::string_view sql);

    // prepare + bind args to 1..N + run; returns the number of rows changed.
    template <class... A> Result<std::int64_t> execute(std::string_view sql, const A&... args) {
        std::lock_guard lock(m_mutex);
        auto st = prepare(sql);
        if (!st)
            return std::unexpected(st.error());
        st->bindAll(args...);
        if (auto r = st->run(); !r)
            return std::unexpected(r.error());
        return changes();
    }

    // prepare + bind + run an INSERT; returns the new row's rowid (atomic with the insert).
    template <class... A> Result<std::int64_t> insert(std::string_view sql, const A&... args) {
        std::lock_guard lock(m_mutex);
        auto n = execute(sql, args...);
        if (!n)
            return std::unexpected(n.error());
        return lastInsertRowId();
    }

    // First column of the first row, converted with Statement::get<T>; nullopt when there is no row.
    template <class T, class... A> Result<std::optional<T>> queryOne(std::string_view sql, const A&... args) {
        std::lock_guard lock(m_mutex);
        auto st = prepare(sql);
        if (!st)
            return std::unexpected(st.error());
        st->bindAll(args...);
        auto row = st->step();
        if (!row)
            return std::unexpected(row.error());
        if (!*row)
            return std::optional<T>{};
        return std::optional<T>{st->template get<T>(0)};
    }

    // Runs fn inside a transaction: COMMIT when it returns a value, ROLLBACK when it returns an error
    // (that error is returned) or throws (the exception propagates after the rollback). fn returns
    // Result<T> for any T (Result<void> included). Nested calls on the same connection become
    // savepoints: an inner failure rolls back only the inner part (and the outer fn decides whether
    // to propagate it). The outermost level is BEGIN IMMEDIATE, so it takes the write lock up front
    // and waits up to the busy timeout for another process instead of failing half-way.
    // The connection's lock is held for the whole call.
    template <class F> auto transaction(F&& fn) -> std::invoke_result_t<F&>;

    // Rows changed by the last statement, rowid of the last insert (on this connection; call them
    // inside a transaction() or use insert()/execute() when other threads share the connection).
    std::int64_t changes() const;
    std::int64_t lastInsertRowId() const;
    bool inTransaction() const;

    // The raw handle for what this API does not cover (backup, blob I/O, custom functions). Hold
    // lock() while using it if other threads share the connection. Link SQLite::SQLite3 yourself.
    sqlite3* handle() const { return m_db; }
    std::unique_lock<std::recursive_mutex> lock() const { return std::unique_lock(m_mutex); }

    const std::filesystem::path& path() const { return m_path; }
    bool readOnly() const { return m_readOnly; }

protected:
    Connection(sqlite3* db, std::filesystem::path path, bool readOnly);

private:
    friend class Statement;
    Result<void> begin();
    Result<void> commit();
    Result<void> rollback();
    Error lastError(std::string context) const;

    sqlite3* m_db = nullptr;
    std::filesystem::path m_path;
    bool m_readOnly = false;
    int m_depth = 0; // transaction nesting level
    mutable std::recursive_mutex m_mutex;
};

// ---------------------------------------------------------------------------------------------
// Workspace — the read-write connection to the workspace file, opened once per process.
// ---------------------------------------------------------------------------------------------

// How thoroughly open() checks an existing file before using it. Quick (PRAGMA quick_check) is
// O(file size) but skips index/content cross-checks; Full runs PRAGMA integrity_check.
enum class IntegrityCheck { None, Quick, Full };

struct OpenOptions {
    std::filesystem::path path;        // empty = defaultWorkspacePath()
    std::vector<Migration> migrations; // applied along with the registered ones
    bool useRegistry = true;           // false = only `migrations` (tests, tools)
    IntegrityCheck check = IntegrityCheck::Quick;
    int busyTimeoutMs = 5000;
};

// $XDG_DATA_HOME/cairn/workspace.db, falling back to $HOME/.local/share/cairn/workspace.db.
// Fails (NotFound) when neither variable gives an absolute path.
Result<std::filesystem::path> defaultWorkspacePath();

class Workspace final : public Connection {
public:
    // Opens (creating it and its folder if needed) and migrates the workspace. See the top of this
    // file for what is refused and for the once-per-process rule.
    static Result<std::shared_ptr<Workspace>> open(const OpenOptions& options = {});
    static Result<std::shared_ptr<Workspace>> openDefault() { return open(OpenOptions{}); }

    // Applies migrations registered after open() (e.g. by a plugin loaded later). Same checks as open:
    // a newer stored version of one of these areas gives VersionTooNew and nothing is applied.
    Result<void> applyMigrations(std::span<const Migration> migrations);

    // The schema version of `area` in this file, 0 when the area has no tables yet.
    Result<int> areaVersion(std::string_view area);

    // A private read-only connection to the same file, for one worker thread's long reads.
    Result<std::unique_ptr<Connection>> openReader() const;

    // PRAGMA integrity_check; ok or a Corrupt error listing the first problems.
    Result<void> checkIntegrity();

    ~Workspace() override;

private:
    Workspace(sqlite3* db, std::filesystem::path path, int busyTimeoutMs);
    int m_busyTimeoutMs;
};

// ---------------------------------------------------------------------------------------------
// Template implementations
// ---------------------------------------------------------------------------------------------

namespace detail {
template <class T> struct IsOptional : std::false_type {};
template <class T> struct IsOptional<std::optional<T>> : std::true_type {};
} // namespace detail

template <class T> Statement& Statement::bind(int index, const T& value) {
    using V = std::remove_cvref_t<T>;
    if constexpr (std::is_same_v<V, std::nullptr_t> || std::is_same_v<V, std::nullopt_t>) {
        bindNull(index);
    } else if constexpr (detail::IsOptional<V>::value) {
        if (value)
            bind(index, *value);
        else
            bindNull(index);
    } else if constexpr (std::is_same_v<V, bool>) {
        bindInt64(index, value ? 1 : 0);
    } else if constexpr (std::is_integral_v<V> || std::is_enum_v<V>) {
        bindInt64(index, static_cast<std::int64_t>(value));
    } else if constexpr (std::is_floating_point_v<V>) {
        bindDouble(index, static_cast<double>(value));
    } else if constexpr (std::is_convertible_v<const V&, std::span<const std::byte>>) {
        bindBlob(index, std::span<const std::byte>(value));
    } else if constexpr (std::is_convertible_v<const V&, std::string_view>) {
        bindText(index, std::string_view(value));
    } else {
        static_assert(sizeof(V) == 0, "Statement::bind: unsupported parameter type");
    }
    return *this;
}

template <class T> T Statement::get(int col) const {
    if constexpr (detail::IsOptional<T>::value) {
        if (isNull(col))
            return std::nullopt;
        return T{get<typename T::value_type>(col)};
    } else if constexpr (std::is_same_v<T, bool>) {
        return int64(col) != 0;
    } else if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
        return static_cast<T>(int64(col));
    } else if constexpr (std::is_floating_point_v<T>) {
        return static_cast<T>(real(col));
    } else if constexpr (std::is_same_v<T, std::string>) {
        return text(col);
    } else if constexpr (std::is_same_v<T, Blob>) {
        return blob(col);
    } else {
        static_assert(sizeof(T) == 0, "Statement::get: unsupported column type");
    }
}

template <class F> auto Connection::transaction(F&& fn) -> std::invoke_result_t<F&> {
    using R = std::invoke_result_t<F&>;
    std::lock_guard lock(m_mutex);
    if (auto b = begin(); !b)
        return std::unexpected(b.error());
    R result = [&]() -> R {
        try {
            return fn();
        } catch (...) {
            (void)rollback();
            throw;
        }
    }();
    if (!result) {
        (void)rollback();
        return result;
    }
    if (auto c = commit(); !c)
        return std::unexpected(c.error());
    return result;
}

} // namespace cairn::storage
