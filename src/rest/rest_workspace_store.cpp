// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The workspace API as MLflow 3.18's RestWorkspaceStore calls it: GET/POST /workspaces,
// GET/PATCH/DELETE /workspaces/<name>, `?mode=` only for a non-RESTRICT delete, no
// X-MLFLOW-WORKSPACE header (RestClient drops it on these paths).
#include "rest/rest_workspace_store.hpp"

#include <utility>

#include "mlflow/errors.hpp"
#include "rest/json_codec.hpp"

namespace mlflow::internal {
namespace {

using Json = nlohmann::json;
constexpr const char* kWorkspacesEndpoint = "/api/3.0/mlflow/workspaces";

std::optional<std::string> optional_string(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  return json_codec::decode_string(*it, key);
}

Workspace decode_workspace(const Json& j) {
  Workspace ws;
  ws.name = optional_string(j, "name").value_or("");
  ws.description = optional_string(j, "description");
  ws.default_artifact_root = optional_string(j, "default_artifact_root");
  const auto archival = j.find("trace_archival_config");
  if (archival != j.end() && archival->is_object()) {
    ws.trace_archival_location = optional_string(*archival, "location");
    ws.trace_archival_retention = optional_string(*archival, "retention");
  }
  return ws;
}

Workspace workspace_of(const Json& response, const std::string& what) {
  const auto it = response.find("workspace");
  if (it == response.end() || !it->is_object()) {
    throw_error(ErrorCode::kUnparseableHttpError,
                "The MLflow server's answer to " + what +
                    " has no 'workspace' object. Is the tracking URI pointing at an MLflow "
                    "server?");
  }
  return decode_workspace(*it);
}

// Only the fields that are set, as Python's proto request does.
Json encode_fields(const Workspace& ws) {
  Json body = Json::object();
  if (ws.description) body["description"] = *ws.description;
  if (ws.default_artifact_root) body["default_artifact_root"] = *ws.default_artifact_root;
  Json archival = Json::object();
  if (ws.trace_archival_location) archival["location"] = *ws.trace_archival_location;
  if (ws.trace_archival_retention) archival["retention"] = *ws.trace_archival_retention;
  if (!archival.empty()) body["trace_archival_config"] = std::move(archival);
  return body;
}

// Names are validated before they get here, so only "default" and [a-z0-9-] reach the path.
std::string workspace_endpoint(const std::string& name) {
  return std::string(kWorkspacesEndpoint) + "/" + url_encode(name);
}

}  // namespace

RestWorkspaceStore::RestWorkspaceStore(std::shared_ptr<RestClient> client)
    : client_(std::move(client)) {}

RestClient& RestWorkspaceStore::client() {
  RestClient& rest = *client_;
  if (!rest.workspaces_enabled()) {
    throw_error(ErrorCode::kFeatureDisabled,
                "The MLflow server at " + strip_credentials(rest.config().tracking_uri) +
                    " runs without workspaces, so its workspace API is disabled. Restart it "
                    "with `mlflow server --enable-workspaces` (needs a SQL backend store such "
                    "as sqlite:///mlflow.db).");
  }
  return rest;
}

std::vector<Workspace> RestWorkspaceStore::list_workspaces() {
  const Json response = client().call("GET", kWorkspacesEndpoint, {}, {}, Idempotency::kIdempotent);
  std::vector<Workspace> out;
  const auto it = response.find("workspaces");
  if (it != response.end() && it->is_array()) {
    for (const auto& ws : *it) out.push_back(decode_workspace(ws));
  }
  return out;
}

Workspace RestWorkspaceStore::get_workspace(const std::string& name) {
  return workspace_of(
      client().call("GET", workspace_endpoint(name), {}, {}, Idempotency::kIdempotent),
      "get-workspace");
}

Workspace RestWorkspaceStore::create_workspace(const Workspace& workspace) {
  Json body = encode_fields(workspace);
  body["name"] = workspace.name;
  // A repeat after a lost answer would fail with RESOURCE_ALREADY_EXISTS.
  return workspace_of(
      client().call("POST", kWorkspacesEndpoint, {}, json_body(body), Idempotency::kNonIdempotent),
      "create-workspace");
}

Workspace RestWorkspaceStore::update_workspace(const Workspace& workspace) {
  // Setting the same fields twice leaves the same workspace: safe to repeat.
  return workspace_of(client().call("PATCH", workspace_endpoint(workspace.name), {},
                                    json_body(encode_fields(workspace)), Idempotency::kIdempotent),
                      "update-workspace");
}

void RestWorkspaceStore::delete_workspace(const std::string& name, WorkspaceDeletionMode mode) {
  QueryParams query;
  if (mode != WorkspaceDeletionMode::kRestrict) query.emplace_back("mode", to_string(mode));
  // 204 with no body on success; a repeat would answer 404.
  client().call("DELETE", workspace_endpoint(name), query, {}, Idempotency::kNonIdempotent);
}

}  // namespace mlflow::internal
