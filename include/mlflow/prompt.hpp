// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#pragma once

/// @file
/// The prompt registry's entities: Prompt (the registered prompt), PromptVersion (one
/// immutable template, text or chat), PromptModelConfig, and prompt URIs
/// (`prompts:/name/3`, `prompts:/name@alias`). Semantics follow Python MLflow 3.18's
/// mlflow.entities.model_registry.PromptVersion.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mlflow/prompt_value.hpp"

namespace mlflow {

/// A registered prompt (a registered model tagged `mlflow.prompt.is_prompt`). `tags` hold the
/// user's prompt-level tags only (MLflow's reserved keys are removed).
struct Prompt {
  std::string name{};
  std::optional<std::string> description{};
  std::int64_t creation_timestamp = 0;
  std::map<std::string, std::string> tags{};
};

/// One message of a chat prompt.
struct ChatMessage {
  std::string role{};
  std::string content{};
};
inline bool operator==(const ChatMessage& a, const ChatMessage& b) noexcept {
  return a.role == b.role && a.content == b.content;
}

/// Model settings stored with a prompt version (Python's PromptModelConfig). Stored as one JSON
/// object: the known keys in this member order, unset ones left out, then `extra_params`
/// merged flat into the same object (there is no nested "extra_params" key).
struct PromptModelConfig {
  std::optional<std::string> provider{};
  std::optional<std::string> model_name{};
  std::optional<double> temperature{};       ///< >= 0
  std::optional<std::int64_t> max_tokens{};  ///< > 0
  std::optional<double> top_p{};             ///< in [0, 1]
  std::optional<std::int64_t> top_k{};       ///< > 0
  std::optional<double> frequency_penalty{};
  std::optional<double> presence_penalty{};
  std::optional<std::vector<std::string>> stop_sequences{};
  /// Provider-specific settings: key -> the value as JSON text (`"0.5"`, `"\"v\""`,
  /// `"{\"a\": true}"`), in order.
  std::vector<std::pair<std::string, std::string>> extra_params{};

  /// Throws InvalidArgument naming the field when a range rule above is broken, or when an
  /// extra param is not valid JSON.
  void validate() const;
  /// The stored JSON text, byte for byte as Python's json.dumps(config.to_dict()).
  std::string to_json() const;
  /// Reads a stored JSON object; unknown keys go to extra_params. Throws InvalidArgument.
  static PromptModelConfig from_json(const std::string& json_text);
};
bool operator==(const PromptModelConfig& a, const PromptModelConfig& b) noexcept;

/// Options of PromptVersion::format.
struct FormatOptions {
  /// Leave missing `{{ var }}` placeholders in place instead of failing (not for Jinja2
  /// templates, where a missing variable renders as empty text, as in Python).
  bool allow_partial = false;
};

/// One version of a prompt: a text template or a list of chat messages, with its metadata.
/// Values are immutable in spirit: the with_* methods return an edited copy.
class PromptVersion {
 public:
  PromptVersion() = default;
  /// A text prompt.
  PromptVersion(std::string name, int version, std::string template_text);
  /// A chat prompt. Throws InvalidArgument if `messages` is empty or a role is empty.
  PromptVersion(std::string name, int version, std::vector<ChatMessage> messages);

  const std::string& name() const noexcept { return name_; }
  int version() const noexcept { return version_; }
  bool is_text_prompt() const noexcept { return !is_chat_; }
  /// The template of a text prompt; for a chat prompt the stored JSON of its messages
  /// (what the `mlflow.prompt.text` tag holds).
  std::string template_text() const;
  /// The messages of a chat prompt (empty for a text prompt).
  const std::vector<ChatMessage>& messages() const noexcept { return messages_; }
  /// The `{{ var }}` names of the template (dotted names allowed), sorted.
  std::vector<std::string> variables() const;
  /// Whether format() renders with Jinja2 (the template contains both "{%" and "%}").
  bool is_jinja_template() const;

  const std::optional<std::string>& commit_message() const noexcept { return commit_message_; }
  std::int64_t creation_timestamp() const noexcept { return creation_timestamp_; }
  const std::optional<std::int64_t>& last_updated_timestamp() const noexcept {
    return last_updated_timestamp_;
  }
  const std::optional<std::string>& user_id() const noexcept { return user_id_; }
  /// User tags of this version (reserved `mlflow.prompt.*` / `_mlflow_prompt_*` keys removed).
  const std::map<std::string, std::string>& tags() const noexcept { return tags_; }
  const std::vector<std::string>& aliases() const noexcept { return aliases_; }
  /// The response format as JSON text (a JSON schema), stored as Python's json.dumps writes it.
  const std::optional<std::string>& response_format() const noexcept { return response_format_; }
  const std::optional<PromptModelConfig>& model_config() const noexcept { return model_config_; }
  /// `prompts:/<name>/<version>`.
  std::string uri() const;

  /// Python's format(): a text result for a text prompt, formatted messages for a chat prompt,
  /// returned as a new PromptVersion with everything else kept. Missing variables throw
  /// InvalidArgument unless options.allow_partial; extra values are ignored. Jinja2 templates
  /// are rendered (see jinja support in docs/adr/0009-prompt-registry.md).
  PromptVersion format(const PromptValues& values, const FormatOptions& options = {}) const;
  /// format() of a text prompt, as text (InvalidArgument for a chat prompt).
  std::string format_as_text(const PromptValues& values, const FormatOptions& options = {}) const;
  /// format() of a chat prompt, as messages (InvalidArgument for a text prompt).
  std::vector<ChatMessage> format_as_messages(const PromptValues& values,
                                              const FormatOptions& options = {}) const;
  /// The template with `{{ var }}` turned into `{var}` (LangChain style); for chat prompts the
  /// messages' JSON text.
  std::string to_single_brace_format() const;
  /// to_single_brace_format() of each message of a chat prompt.
  std::vector<ChatMessage> to_single_brace_messages() const;

  // Local edits: a copy with one field changed (the registry is not touched).
  PromptVersion with_template(std::string template_text) const;
  PromptVersion with_messages(std::vector<ChatMessage> messages) const;
  PromptVersion with_commit_message(std::optional<std::string> commit_message) const;
  PromptVersion with_model_config(std::optional<PromptModelConfig> config) const;
  /// `json_schema`: JSON text of an object; stored re-encoded the way Python writes it.
  PromptVersion with_response_format(std::optional<std::string> json_schema) const;
  PromptVersion with_tags(std::map<std::string, std::string> tags) const;
  PromptVersion with_aliases(std::vector<std::string> aliases) const;
  PromptVersion with_version(int version) const;
  PromptVersion with_timestamps(std::int64_t creation, std::optional<std::int64_t> last_updated,
                                std::optional<std::string> user_id = std::nullopt) const;

 private:
  std::string name_{};
  int version_ = 0;
  bool is_chat_ = false;
  std::string text_{};
  std::vector<ChatMessage> messages_{};
  std::optional<std::string> commit_message_{};
  std::int64_t creation_timestamp_ = 0;
  std::optional<std::int64_t> last_updated_timestamp_{};
  std::optional<std::string> user_id_{};
  std::map<std::string, std::string> tags_{};
  std::vector<std::string> aliases_{};
  std::optional<std::string> response_format_{};
  std::optional<PromptModelConfig> model_config_{};
};

/// A parsed prompt URI: `prompts:/name/3` (version), `prompts:/name@alias` (alias; `latest`
/// is the highest version).
struct PromptUri {
  std::string name{};
  std::optional<int> version{};
  std::optional<std::string> alias{};

  /// Parses a URI. Throws InvalidArgument for anything else (stage names such as
  /// `prompts:/name/Production` are not supported for prompts, as in Python).
  static PromptUri parse(const std::string& uri);
  /// A name, plus an optional version, or a URI (then `version` must be absent), resolved as
  /// Python's load_prompt resolves it: a bare name means `prompts:/name@latest`.
  static PromptUri resolve(const std::string& name_or_uri, std::optional<int> version = {});
  /// Whether the text starts with `prompts:/`.
  static bool is_prompt_uri(const std::string& text) noexcept;
  std::string str() const;
};

}  // namespace mlflow
