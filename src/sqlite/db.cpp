// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "sqlite/db.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <regex>
#include <thread>

#include "core/utf8.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal::sqlite {

namespace {

std::string seconds_text(std::chrono::milliseconds ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", static_cast<double>(ms.count()) / 1000.0);
  return buf;
}

}  // namespace

void throw_sqlite_error(const Connection& conn, int rc, const std::string& context) {
  sqlite3* db = conn.handle();
  const std::string detail = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  const std::string message = context + ": " + detail;
  switch (rc & 0xff) {
    // MLflow maps SQLAlchemy's OperationalError (e.g. "database is locked") to
    // TEMPORARILY_UNAVAILABLE, which clients retry.
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      throw_error(ErrorCode::kTemporarilyUnavailable,
                  message +
                      ". Another connection (another process or thread, or an open "
                      "sqlite3 shell) held the lock of '" +
                      conn.path() + "' for all of this call's lock timeout (" +
                      seconds_text(conn.lock_timeout()) +
                      "). Retry once it has finished; to wait longer or shorter, set "
                      "?timeout=<seconds> in the sqlite:/// URI.");
    // A file opened read-only, or one that became read-only under us (ADR 0015). Retrying
    // cannot help, so this is not MLflow's TEMPORARILY_UNAVAILABLE.
    case SQLITE_READONLY:
      throw_error(ErrorCode::kPermissionDenied,
                  message + ". '" + conn.path() +
                      "' cannot be written (a read-only file system, or no write permission "
                      "on the file or its directory); reads still work. To write, open a "
                      "writable copy of the file.");
    // Other SQLAlchemy errors (IntegrityError for constraints) become BAD_REQUEST there.
    case SQLITE_CONSTRAINT:
      throw_error(ErrorCode::kBadRequest, message);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      throw_error(ErrorCode::kInvalidParameterValue,
                  message + " (the file is not a usable SQLite database)");
    case SQLITE_CANTOPEN:
      throw_error(ErrorCode::kInternalError,
                  message + " (SQLite could not open '" + conn.path() +
                      "' or the journal, -wal or -shm file it keeps next to it: check that "
                      "the file and its directory are readable and, to write, writable)");
    default:
      throw_error(ErrorCode::kInternalError, message);
  }
}

Statement::Statement(Connection& conn, const std::string& sql) : conn_(conn) {
  const int rc = sqlite3_prepare_v2(conn_.handle(), sql.c_str(), static_cast<int>(sql.size()),
                                    &stmt_, nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
    throw_sqlite_error(conn_, rc, "Failed to prepare SQL statement");
  }
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

namespace {
void check_bind(const Connection& conn, int rc) {
  if (rc != SQLITE_OK) throw_sqlite_error(conn, rc, "Failed to bind SQL parameter");
}
}  // namespace

Statement& Statement::bind(int index, const std::string& value) {
  // The last line of defence behind the client's checks: Python's sqlite3 cannot read a row
  // with invalid UTF-8 ("Could not decode to UTF-8"), which would break the run for Python and
  // the UI. Inside a Transaction the throw rolls everything back.
  utf8::require_valid(value, "SQL text parameter " + std::to_string(index));
  check_bind(conn_, sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT,
                                        SQLITE_UTF8));
  return *this;
}
Statement& Statement::bind(int index, const char* value) { return bind(index, std::string(value)); }
Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(conn_, sqlite3_bind_int64(stmt_, index, value));
  return *this;
}
Statement& Statement::bind(int index, double value) {
  check_bind(conn_, sqlite3_bind_double(stmt_, index, value));
  return *this;
}
Statement& Statement::bind_null(int index) {
  check_bind(conn_, sqlite3_bind_null(stmt_, index));
  return *this;
}
Statement& Statement::bind(int index, const std::optional<std::string>& value) {
  return value ? bind(index, *value) : bind_null(index);
}
Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}
Statement& Statement::bind(int index, const Bind& value) {
  switch (value.kind) {
    case Bind::kInt:
      return bind(index, value.i);
    case Bind::kReal:
      return bind(index, value.r);
    case Bind::kText:
      break;
  }
  return bind(index, value.text);
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  // Keep the statement reusable after a failure (e.g. a constraint hit inside a transaction).
  sqlite3_reset(stmt_);
  throw_sqlite_error(conn_, rc, "SQL statement failed");
}

void Statement::run() {
  while (step()) {
  }
}

void Statement::reset() noexcept {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}
std::string Statement::text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p),
                     static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}
std::optional<std::string> Statement::opt_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return text(column);
}
std::int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
std::optional<std::int64_t> Statement::opt_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

namespace {

// SQLite's URI form of a file path (for query parameters such as immutable=1).
std::string file_uri(const std::string& path, const std::string& query) {
  std::string out = "file:";
  for (const char c : path) {
    if (c == '%' || c == '?' || c == '#') {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      out += hex;
    } else {
      out += c;
    }
  }
  return out + "?" + query;
}

}  // namespace

Connection::Connection(const std::string& path, OpenMode mode,
                       std::chrono::milliseconds lock_timeout)
    : path_(path), lock_timeout_(lock_timeout) {
  int flags = SQLITE_OPEN_NOMUTEX;
  std::string name = path;
  switch (mode) {
    case OpenMode::kReadOnly:
      flags |= SQLITE_OPEN_READONLY;
      break;
    case OpenMode::kReadWrite:
      flags |= SQLITE_OPEN_READWRITE;
      break;
    case OpenMode::kReadWriteCreate:
      flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
      break;
    case OpenMode::kReadOnlyImmutable:
      flags |= SQLITE_OPEN_READONLY | SQLITE_OPEN_URI;
      name = file_uri(path, "immutable=1");
      break;
  }
  const int rc = sqlite3_open_v2(name.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    const std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close(db_);
    db_ = nullptr;
    throw_error(ErrorCode::kInvalidParameterValue,
                "Cannot open SQLite database '" + path + "': " + detail +
                    ". Check that the path in the sqlite:/// URI is correct and that its "
                    "directory exists and is writable (readable, to only read a file).");
  }
  sqlite3_busy_handler(db_, &Connection::on_busy, this);
  sqlite3_extended_result_codes(db_, 0);
}

namespace {

// regexp(pattern, text), which `text REGEXP pattern` calls: MLflow registers Python's
// re.search on every SQLite connection (mlflow/store/db/utils.py) for the RLIKE comparator.
// NULL arguments and patterns that do not compile give false, as there. ECMAScript syntax
// covers the Python syntax search filters use (classes, anchors, alternation, repeats).
void delete_regex(void* p) { std::unique_ptr<std::regex> owned(static_cast<std::regex*>(p)); }

void regexp_function(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  if (argc != 2 || sqlite3_value_type(argv[0]) == SQLITE_NULL ||
      sqlite3_value_type(argv[1]) == SQLITE_NULL) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  // The compiled pattern is cached on the statement while the pattern argument stays the same.
  const auto* cached = static_cast<const std::regex*>(sqlite3_get_auxdata(ctx, 0));
  std::unique_ptr<std::regex> fresh;
  if (cached == nullptr) {
    const auto* pattern = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    try {
      fresh = std::make_unique<std::regex>(pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      sqlite3_result_int(ctx, 0);
      return;
    }
  }
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  const bool found = std::regex_search(text, cached != nullptr ? *cached : *fresh);
  // SQLite owns it from here (and may delete it at once).
  if (fresh) sqlite3_set_auxdata(ctx, 0, fresh.release(), &delete_regex);
  sqlite3_result_int(ctx, found ? 1 : 0);
}

}  // namespace

void Connection::register_regexp() {
  const int rc = sqlite3_create_function_v2(db_, "regexp", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                            nullptr, &regexp_function, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) throw_sqlite_error(*this, rc, "registering regexp()");
}

Connection::~Connection() {
  cache_.clear();  // statements must be finalized before the connection closes
  sqlite3_close(db_);
}

int Connection::on_busy(void* self, int attempt) {
  auto& conn = *static_cast<Connection*>(self);
  const auto now = std::chrono::steady_clock::now();
  if (!conn.call_deadline_ && attempt == 0) conn.statement_deadline_ = now + conn.lock_timeout_;
  const auto deadline = conn.call_deadline_ ? *conn.call_deadline_ : conn.statement_deadline_;
  if (now >= deadline) return 0;  // give up: SQLite answers SQLITE_BUSY
  // sqlite3_busy_timeout's back-off: short sleeps first, then 100 ms between tries.
  static constexpr int kDelaysMs[] = {1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100};
  constexpr int kLast = static_cast<int>(sizeof kDelaysMs / sizeof kDelaysMs[0]) - 1;
  const std::chrono::milliseconds delay(kDelaysMs[std::min(attempt, kLast)]);
  std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(delay, deadline - now));
  return 1;
}

bool Connection::lock_time_left() const {
  return call_deadline_ && std::chrono::steady_clock::now() < *call_deadline_;
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    sqlite3_free(err);
    throw_sqlite_error(*this, rc, "SQL execution failed");
  }
}

StatementRef Connection::prepare(const std::string& sql) {
  auto it = cache_.find(sql);
  if (it == cache_.end()) {
    it = cache_.emplace(sql, std::make_unique<Statement>(*this, sql)).first;
  }
  return StatementRef(*it->second);
}

std::unique_ptr<Statement> Connection::statement(const SqlQuery& query) {
  auto stmt = std::make_unique<Statement>(*this, query.sql);
  int index = 0;
  for (const Bind& b : query.binds) stmt->bind(++index, b);
  return stmt;
}

std::vector<std::string> Connection::first_column(const SqlQuery& query) {
  auto stmt = statement(query);
  std::vector<std::string> out;
  while (stmt->step()) out.push_back(stmt->text(0));
  return out;
}

int Connection::changes() const { return sqlite3_changes(db_); }
std::int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

std::string Connection::journal_mode() {
  auto stmt = prepare("PRAGMA journal_mode");
  return stmt->step() ? stmt->text(0) : std::string();
}

bool Connection::read_only() const { return sqlite3_db_readonly(db_, "main") == 1; }

LockBudget::LockBudget(Connection& conn) : conn_(conn) {
  conn_.call_deadline_ = std::chrono::steady_clock::now() + conn_.lock_timeout_;
}

LockBudget::~LockBudget() { conn_.call_deadline_.reset(); }

Transaction::Transaction(Connection& conn, Kind kind) : conn_(conn) {
  const char* begin = kind == Kind::kWrite ? "BEGIN IMMEDIATE" : "BEGIN";
  for (;;) {
    const int rc = sqlite3_exec(conn_.handle(), begin, nullptr, nullptr, nullptr);
    if (rc == SQLITE_OK) return;
    // The busy handler already waits inside BEGIN until the call's deadline. SQLite may still
    // answer BUSY sooner without asking it (e.g. while another process recovers the WAL), so
    // a call with time left tries again -- within the same deadline, never beyond it.
    if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && conn_.lock_time_left()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      continue;
    }
    throw_sqlite_error(conn_, rc, "Failed to begin a transaction");
  }
}

Transaction::~Transaction() {
  if (!done_) sqlite3_exec(conn_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  conn_.exec("COMMIT");
  done_ = true;
}

}  // namespace mlflow::internal::sqlite
