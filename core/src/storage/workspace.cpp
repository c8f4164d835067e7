#include "cairn/storage/workspace.h"

#include "storage/migrationplan.h"
#include "storage/sqliteerror.h"

#include <sqlite3.h>

#include <array>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <system_error>
#include <utility>

namespace cairn::storage {

// 'CAIR' in the database header: marks the file as a Cairn workspace (PRAGMA application_id).
constexpr int kApplicationId = 0x43414952;

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

namespace detail {

ErrorCode codeFor(int rc) {
    switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return ErrorCode::Timeout;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
        return ErrorCode::Corrupt;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
        return ErrorCode::Io;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
        return ErrorCode::PermissionDenied;
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
        return ErrorCode::InvalidArgument;
    case SQLITE_INTERRUPT:
        return ErrorCode::Cancelled;
    case SQLITE_TOOBIG:
        return ErrorCode::LimitExceeded;
    default:
        return ErrorCode::Database;
    }
}

Error sqliteError(int rc, sqlite3* db, std::string_view what, std::string context) {
    std::string msg(what);
    msg += ": ";
    // The connection's message is more specific (it names the table or constraint) when it matches rc.
    if (db && sqlite3_extended_errcode(db) == rc)
        msg += sqlite3_errmsg(db);
    else
        msg += sqlite3_errstr(rc);
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        msg += " (another process or thread holds the workspace lock)";
    msg += '.';
    return Error{codeFor(rc), std::move(msg), std::move(context)};
}

std::string shortSql(std::string_view sql) {
    std::string out;
    out.reserve(std::min<std::size_t>(sql.size(), 160));
    bool space = false;
    for (char c : sql) {
        if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
            space = !out.empty();
            continue;
        }
        if (space)
            out += ' ';
        space = false;
        out += c;
        if (out.size() >= 157) {
            out += "...";
            break;
        }
    }
    return "SQL: " + out;
}

} // namespace detail

using detail::shortSql;
using detail::sqliteError;

// ---------------------------------------------------------------------------------------------
// Connection
// ---------------------------------------------------------------------------------------------

Connection::Connection(sqlite3* db, std::filesystem::path path, bool readOnly)
    : m_db(db)
    , m_path(std::move(path))
    , m_readOnly(readOnly) {}

Connection::~Connection() {
    // close_v2 defers the close until every Statement is finalized, so a leaked Statement cannot crash.
    if (m_db)
        sqlite3_close_v2(m_db);
}

Error Connection::lastError(std::string context) const {
    return sqliteError(sqlite3_extended_errcode(m_db), m_db, "Workspace error", std::move(context));
}

Result<void> Connection::exec(std::string_view sql) {
    std::lock_guard lock(m_mutex);
    const std::string s(sql);
    char* err = nullptr;
    const int rc = sqlite3_exec(m_db, s.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK)
        return {};
    std::string message = "The workspace statement failed: ";
    message += err ? err : sqlite3_errstr(rc);
    message += '.';
    sqlite3_free(err);
    return std::unexpected(Error{detail::codeFor(rc), std::move(message), shortSql(sql)});
}

Result<Statement> Connection::prepare(std::string_view sql) {
    std::lock_guard lock(m_mutex);
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const int rc = sqlite3_prepare_v3(m_db, sql.data(), static_cast<int>(sql.size()), 0, &stmt, &tail);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return std::unexpected(sqliteError(rc, m_db, "The workspace query is invalid", shortSql(sql)));
    }
    if (!stmt)
        return fail(ErrorCode::InvalidArgument, "The workspace query is empty.", shortSql(sql));
    // A second statement after the first would be silently ignored: refuse it instead.
    if (tail) {
        std::string_view rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
        while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\n' || rest.front() == '\t' ||
                                 rest.front() == '\r' || rest.front() == ';'))
            rest.remove_prefix(1);
        if (!rest.empty()) {
            sqlite3_finalize(stmt);
            return fail(ErrorCode::InvalidArgument,
                        "prepare() takes one SQL statement; use exec() for several.", shortSql(sql));
        }
    }
    return Statement(this, stmt);
}

std::int64_t Connection::changes() const {
    return sqlite3_changes64(m_db);
}

std::int64_t Connection::lastInsertRowId() const {
    return sqlite3_last_insert_rowid(m_db);
}

bool Connection::inTransaction() const {
    std::lock_guard lock(m_mutex);
    return m_depth > 0;
}

Result<void> Connection::begin() {
    if (m_depth > 0 && sqlite3_get_autocommit(m_db))
        m_depth = 0; // SQLite rolled the outer transaction back on its own (e.g. disk full)
    Result<void> r = m_depth == 0 ? exec(m_readOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE")
                                  : exec("SAVEPOINT cairn_sp_" + std::to_string(m_depth));
    if (r)
        ++m_depth;
    return r;
}

Result<void> Connection::commit() {
    if (m_depth == 0)
        return fail(ErrorCode::Internal, "Workspace commit without a transaction.", m_path.string());
    if (sqlite3_get_autocommit(m_db)) {
        m_depth = 0;
        return fail(ErrorCode::Database, "SQLite rolled the workspace transaction back after an error.",
                    m_path.string());
    }
    if (m_depth == 1) {
        auto r = exec("COMMIT");
        if (!r) {
            // A failed COMMIT (busy, I/O) leaves the transaction open: end it so the connection stays usable.
            (void)exec("ROLLBACK");
            m_depth = 0;
            return r;
        }
        m_depth = 0;
        return {};
    }
    --m_depth;
    auto r = exec("RELEASE cairn_sp_" + std::to_string(m_depth));
    return r;
}

Result<void> Connection::rollback() {
    if (m_depth == 0)
        return {};
    if (sqlite3_get_autocommit(m_db)) {
        m_depth = 0; // already rolled back by SQLite
        return {};
    }
    if (m_depth == 1) {
        m_depth = 0;
        return exec("ROLLBACK");
    }
    --m_depth;
    const std::string sp = "cairn_sp_" + std::to_string(m_depth);
    return exec("ROLLBACK TO " + sp + "; RELEASE " + sp);
}

// ---------------------------------------------------------------------------------------------
// Opening
// ---------------------------------------------------------------------------------------------

namespace {

class ReaderConnection final : public Connection {
public:
    ReaderConnection(sqlite3* db, std::filesystem::path path)
        : Connection(db, std::move(path), true) {}
};

struct RawDb {
    sqlite3* db = nullptr;
    RawDb() = default;
    RawDb(const RawDb&) = delete;
    RawDb& operator=(const RawDb&) = delete;
    ~RawDb() {
        if (db)
            sqlite3_close_v2(db);
    }
    sqlite3* release() { return std::exchange(db, nullptr); }
};

Result<void> rawExec(sqlite3* db, const std::string& sql, const std::string& context) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    if (rc == SQLITE_OK)
        return {};
    std::string msg = "Could not prepare the workspace: ";
    msg += err ? err : sqlite3_errstr(rc);
    msg += '.';
    sqlite3_free(err);
    return std::unexpected(Error{detail::codeFor(rc), std::move(msg), context + ", " + shortSql(sql)});
}

// Runs a query and collects the first column of every row as text.
Result<std::vector<std::string>> rawColumn(sqlite3* db, const std::string& sql, const std::string& context) {
    sqlite3_stmt* st = nullptr;
    int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(st);
        return std::unexpected(
            sqliteError(rc, db, "Could not read the workspace", context + ", " + shortSql(sql)));
    }
    std::vector<std::string> out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const auto* t = sqlite3_column_text(st, 0);
        out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return std::unexpected(
            sqliteError(rc, db, "Could not read the workspace", context + ", " + shortSql(sql)));
    return out;
}

Result<std::map<std::string, int>> storedVersions(sqlite3* db, const std::string& context) {
    auto exists =
        rawColumn(db, "SELECT name FROM sqlite_schema WHERE type='table' AND name='cairn_schema'", context);
    if (!exists)
        return std::unexpected(exists.error());
    std::map<std::string, int> out;
    if (exists->empty())
        return out;
    auto rows = rawColumn(db, "SELECT area || '=' || version FROM cairn_schema", context);
    if (!rows)
        return std::unexpected(rows.error());
    for (const auto& r : *rows) {
        const auto eq = r.rfind('=');
        out[r.substr(0, eq)] = std::atoi(r.c_str() + eq + 1);
    }
    return out;
}

Result<void> checkNotNewer(const std::map<std::string, int>& stored, const std::vector<Migration>& known,
                           const std::string& context) {
    for (const auto& m : known) {
        auto it = stored.find(m.area);
        const int newest = detail::newestVersion(m);
        if (it != stored.end() && it->second > newest)
            return fail(ErrorCode::VersionTooNew,
                        "The workspace was written by a newer version of Cairn (area '" + m.area +
                            "' is at schema " + std::to_string(it->second) + ", this build knows up to " +
                            std::to_string(newest) + "); it was left untouched. Upgrade Cairn to open it.",
                        context);
    }
    return {};
}

Result<void> runIntegrityCheck(sqlite3* db, IntegrityCheck check, const std::string& context) {
    if (check == IntegrityCheck::None)
        return {};
    const std::string sql =
        check == IntegrityCheck::Full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)";
    auto rows = rawColumn(db, sql, context);
    if (!rows) {
        Error e = rows.error();
        if (e.code == ErrorCode::Corrupt || e.code == ErrorCode::Database)
            return fail(ErrorCode::Corrupt,
                        "The workspace file is damaged and was left untouched (" + e.message +
                            "). Move it aside to start a new workspace.",
                        context);
        return std::unexpected(e);
    }
    if (rows->size() == 1 && (*rows)[0] == "ok")
        return {};
    std::string problems;
    for (std::size_t i = 0; i < rows->size() && i < 3; ++i)
        problems += (i ? "; " : "") + (*rows)[i];
    return fail(ErrorCode::Corrupt,
                "The workspace file failed its integrity check and was left untouched (" + problems +
                    "). Move it aside to start a new workspace.",
                context);
}

// Read-only inspection of an existing file before anything may write to it.
Result<void> inspectExisting(const std::filesystem::path& path, const std::vector<Migration>& known,
                             IntegrityCheck check, int busyTimeoutMs) {
    const std::string context = path.string();
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) {
        if (!std::filesystem::exists(path))
            return {};
        return fail(ErrorCode::Io, "Could not read the workspace file: " + ec.message() + ".", context);
    }
    if (size == 0)
        return {}; // an empty file is an empty database to SQLite

    std::array<char, 16> header{};
    {
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return fail(ErrorCode::Io, "Could not read the workspace file.", context);
        in.read(header.data(), header.size());
        if (in.gcount() != static_cast<std::streamsize>(header.size()) ||
            std::memcmp(header.data(), "SQLite format 3", 16) != 0)
            return fail(
                ErrorCode::Corrupt,
                "The workspace file is not a SQLite database; it was left untouched. Move it aside to "
                "start a new workspace.",
                context);
    }

    RawDb raw;
    int rc = sqlite3_open_v2(context.c_str(), &raw.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK)
        return std::unexpected(sqliteError(rc, raw.db, "Could not open the workspace", context));
    sqlite3_busy_timeout(raw.db, busyTimeoutMs);

    auto appId = rawColumn(raw.db, "PRAGMA application_id", context);
    if (!appId) {
        Error e = appId.error();
        if (e.code == ErrorCode::Corrupt)
            return fail(ErrorCode::Corrupt,
                        "The workspace file is damaged and was left untouched (" + e.message + ").", context);
        return std::unexpected(e);
    }
    const int id = appId->empty() ? 0 : std::atoi((*appId)[0].c_str());
    if (id != 0 && id != kApplicationId)
        return fail(
            ErrorCode::Unsupported,
            "The file is a SQLite database of another application, not a Cairn workspace; it was left "
            "untouched.",
            context);

    if (auto r = runIntegrityCheck(raw.db, check, context); !r)
        return r;
    auto stored = storedVersions(raw.db, context);
    if (!stored) {
        if (stored.error().code == ErrorCode::Corrupt)
            return fail(ErrorCode::Corrupt, "The workspace file is damaged and was left untouched.", context);
        return std::unexpected(stored.error());
    }
    return checkNotNewer(*stored, known, context);
}

std::mutex& openMutex() {
    static std::mutex m;
    return m;
}

std::map<std::string, std::weak_ptr<Workspace>>& openWorkspaces() {
    static std::map<std::string, std::weak_ptr<Workspace>> m;
    return m;
}

std::int64_t wallMs() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace

Result<std::filesystem::path> defaultWorkspacePath() {
    const char* xdg = std::getenv("XDG_DATA_HOME");
    if (xdg && *xdg && std::filesystem::path(xdg).is_absolute())
        return std::filesystem::path(xdg) / "cairn" / "workspace.db";
    const char* home = std::getenv("HOME");
    if (home && *home && std::filesystem::path(home).is_absolute())
        return std::filesystem::path(home) / ".local" / "share" / "cairn" / "workspace.db";
    return fail(ErrorCode::NotFound,
                "Cannot locate the data directory for the workspace: neither XDG_DATA_HOME nor HOME is an "
                "absolute path.");
}

Workspace::Workspace(sqlite3* db, std::filesystem::path path, int busyTimeoutMs)
    : Connection(db, std::move(path), false)
    , m_busyTimeoutMs(busyTimeoutMs) {}

Workspace::~Workspace() = default;

Result<std::shared_ptr<Workspace>> Workspace::open(const OpenOptions& options) {
    std::filesystem::path path = options.path;
    if (path.empty()) {
        auto p = defaultWorkspacePath();
        if (!p)
            return std::unexpected(p.error());
        path = *p;
    }

    std::vector<Migration> all = options.useRegistry ? registeredMigrations() : std::vector<Migration>{};
    all.insert(all.end(), options.migrations.begin(), options.migrations.end());
    auto plan = detail::planMigrations(std::move(all));
    if (!plan)
        return std::unexpected(plan.error());

    std::error_code ec;
    path = std::filesystem::absolute(path, ec);
    if (ec)
        return fail(ErrorCode::Io, "Invalid workspace path: " + ec.message() + ".", options.path.string());
    if (path.has_parent_path()) {
        std::filesystem::create_directories(path.parent_path(), ec);
        if (ec)
            return fail(ErrorCode::Io, "Could not create the workspace folder: " + ec.message() + ".",
                        path.parent_path().string());
    }
    const std::string key = std::filesystem::weakly_canonical(path, ec).string();

    // Held for the whole open so that two threads opening the same file get one instance.
    std::lock_guard lock(openMutex());
    if (auto existing = openWorkspaces()[key].lock()) {
        if (auto r = existing->applyMigrations(*plan); !r)
            return std::unexpected(r.error());
        return existing;
    }

    const std::string context = path.string();
    if (auto r = inspectExisting(path, *plan, options.check, options.busyTimeoutMs); !r)
        return std::unexpected(r.error());

    RawDb raw;
    int rc = sqlite3_open_v2(context.c_str(), &raw.db,
                             SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK)
        return std::unexpected(sqliteError(rc, raw.db, "Could not open the workspace", context));
    sqlite3_extended_result_codes(raw.db, 1);
    sqlite3_busy_timeout(raw.db, options.busyTimeoutMs);

    // Full sync until WAL is on: the setup below runs in the file's own journal mode.
    if (auto r = rawExec(raw.db, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL", context); !r)
        return std::unexpected(r.error());
    std::shared_ptr<Workspace> ws(new Workspace(raw.release(), path, options.busyTimeoutMs));

    // Everything opening writes (the schema table, the application id, the migrations) is one
    // transaction, before the switch to WAL: damage the quick check cannot see (a broken index, say)
    // surfaces as a failed write, the transaction rolls back, and the refused file is byte for byte
    // what it was.
    auto setup = ws->transaction([&]() -> Result<void> {
        if (auto r =
                ws->exec("CREATE TABLE IF NOT EXISTS cairn_schema(area TEXT PRIMARY KEY, version INTEGER "
                         "NOT NULL, applied_ms INTEGER NOT NULL);"
                         "PRAGMA application_id=" +
                         std::to_string(kApplicationId));
            !r)
            return r;
        return ws->applyMigrations(*plan);
    });
    if (!setup) {
        if (setup.error().code == ErrorCode::Corrupt)
            return fail(ErrorCode::Corrupt,
                        "The workspace file is damaged and was left untouched (" + setup.error().message +
                            "). Move it aside to start a new workspace.",
                        context);
        return std::unexpected(setup.error());
    }

    auto mode = rawColumn(ws->handle(), "PRAGMA journal_mode=WAL", context);
    if (!mode)
        return std::unexpected(mode.error());
    if (mode->empty() || (*mode)[0] != "wal")
        return fail(ErrorCode::Unsupported,
                    "The workspace could not switch to WAL journaling (the file system may not support it).",
                    context);
    if (auto r = rawExec(ws->handle(), "PRAGMA synchronous=NORMAL", context); !r)
        return std::unexpected(r.error());
    openWorkspaces()[key] = ws;
    return ws;
}

Result<int> Workspace::areaVersion(std::string_view area) {
    auto v = queryOne<int>("SELECT version FROM cairn_schema WHERE area = ?", area);
    if (!v)
        return std::unexpected(v.error());
    return v->value_or(0);
}

Result<void> Workspace::applyMigrations(std::span<const Migration> migrations) {
    auto plan = detail::planMigrations(std::vector<Migration>(migrations.begin(), migrations.end()));
    if (!plan)
        return std::unexpected(plan.error());

    auto lk = lock();
    auto stored = storedVersions(handle(), path().string());
    if (!stored)
        return std::unexpected(stored.error());
    // Refuse before applying anything, so a too-new file is not half-migrated.
    if (auto r = checkNotNewer(*stored, *plan, path().string()); !r)
        return r;

    for (const auto& m : *plan) {
        for (const auto& step : m.steps) {
            auto it = stored->find(m.area);
            if (it != stored->end() && it->second >= step.version)
                continue;
            const std::string where = "area " + m.area + ", step " + std::to_string(step.version);
            auto r = transaction([&]() -> Result<void> {
                // Re-read under the write lock: another process may have applied it meanwhile.
                auto current = areaVersion(m.area);
                if (!current)
                    return std::unexpected(current.error());
                if (*current >= step.version)
                    return {};
                if (!step.sql.empty()) {
                    if (auto e = exec(step.sql); !e)
                        return fail(e.error().code, "A workspace migration failed: " + e.error().message,
                                    where + "; " + e.error().context);
                }
                if (step.apply) {
                    if (auto e = step.apply(*this); !e)
                        return fail(e.error().code, "A workspace migration failed: " + e.error().message,
                                    where + "; " + e.error().context);
                }
                auto up = execute("INSERT INTO cairn_schema(area, version, applied_ms) VALUES (?, ?, ?)"
                                  " ON CONFLICT(area) DO UPDATE SET version = excluded.version,"
                                  " applied_ms = excluded.applied_ms",
                                  m.area, step.version, wallMs());
                if (!up)
                    return std::unexpected(up.error());
                return {};
            });
            if (!r)
                return r;
            (*stored)[m.area] = step.version;
        }
    }
    return {};
}

Result<std::unique_ptr<Connection>> Workspace::openReader() const {
    RawDb raw;
    const std::string context = path().string();
    int rc = sqlite3_open_v2(context.c_str(), &raw.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, nullptr);
    if (rc != SQLITE_OK)
        return std::unexpected(sqliteError(rc, raw.db, "Could not open a workspace reader", context));
    sqlite3_extended_result_codes(raw.db, 1);
    sqlite3_busy_timeout(raw.db, m_busyTimeoutMs);
    if (auto r = rawExec(raw.db, "PRAGMA query_only=ON; PRAGMA foreign_keys=ON", context); !r)
        return std::unexpected(r.error());
    return std::unique_ptr<Connection>(new ReaderConnection(raw.release(), path()));
}

Result<void> Workspace::checkIntegrity() {
    auto lk = lock();
    return runIntegrityCheck(handle(), IntegrityCheck::Full, path().string());
}

} // namespace cairn::storage
