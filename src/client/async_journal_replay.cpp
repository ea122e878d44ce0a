// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The public face of the asynchronous logging journal (ADR 0026): status and replay, each
// session's entries sent through a client on the tracking URI its logger recorded.
#include <map>
#include <set>

#include "async/async_journal.hpp"
#include "client/client_access.hpp"
#include "core/deadline.hpp"
#include "mlflow/async_journal.hpp"
#include "mlflow/client_options.hpp"
#include "mlflow/mlflow_client.hpp"

namespace mlflow {
namespace {

AsyncJournalCounts public_counts(const internal::EntryCounts& c) {
  return AsyncJournalCounts{c.metrics, c.params, c.tags};
}

}  // namespace

AsyncJournalStatus async_journal_status(const std::string& path) {
  const internal::JournalContents contents = internal::read_async_journal(path);
  AsyncJournalStatus status;
  status.accepted = public_counts(contents.accepted);
  status.delivered = public_counts(contents.delivered);
  status.refused = public_counts(contents.refused);
  internal::EntryCounts pending;
  std::set<std::string> uris;
  for (const internal::JournalEntry& e : contents.pending) {
    pending.add(e.entry.kind);
    uris.insert(contents.sessions.at(e.session).tracking_uri);
  }
  status.pending = public_counts(pending);
  status.pending_tracking_uris.assign(uris.begin(), uris.end());
  status.sessions = contents.sessions.size();
  for (const auto& [id, session] : contents.sessions) status.live_sessions += session.live;
  return status;
}

AsyncJournalReplayResult replay_async_journal(const std::string& path,
                                              const AsyncJournalReplayOptions& options) {
  // One client per tracking URI, kept for the whole replay.
  std::map<std::string, MlflowClient> clients;
  const internal::JournalStoreFor store_for =
      [&](const internal::JournalSession& session) -> std::shared_ptr<internal::TrackingStore> {
    if (session.live && !options.include_live) return nullptr;
    const std::string uri = options.tracking_uri.value_or(session.tracking_uri);
    auto it = clients.find(uri);
    if (it == clients.end()) {
      ClientOptions client_options;
      client_options.tracking_uri = uri;
      it = clients.emplace(uri, MlflowClient(client_options)).first;
    }
    return MlflowClient::Access::impl(it->second)->tracking_ptr();
  };
  const internal::Deadline no_deadline("the journal replay");
  const internal::JournalReplayTotals totals =
      internal::replay_async_journal_file(path, store_for, options.max_outage, no_deadline);
  AsyncJournalReplayResult result;
  result.delivered = public_counts(totals.delivered);
  result.refused = public_counts(totals.refused);
  result.left = public_counts(totals.left);
  result.errors = totals.errors;
  return result;
}

}  // namespace mlflow
