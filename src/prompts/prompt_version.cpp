// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// PromptVersion: Python MLflow 3.18's PromptVersion.format() semantics (double-brace
// substitution with a missing-variable check, or Jinja2 rendering when the template holds
// "{%" and "%}"), plus immutable local edits.
#include <set>

#include "mlflow/errors.hpp"
#include "mlflow/prompt.hpp"
#include "prompts/jinja.hpp"
#include "prompts/python_json.hpp"
#include "prompts/template_vars.hpp"

namespace mlflow {
namespace {

[[noreturn]] void invalid(const std::string& message) {
  throw InvalidArgument(ErrorCode::kInvalidParameterValue, message);
}

std::string messages_json(const std::vector<ChatMessage>& messages) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& m : messages) {
    nlohmann::ordered_json o = nlohmann::ordered_json::object();
    o["role"] = m.role;
    o["content"] = m.content;
    arr.push_back(std::move(o));
  }
  return internal::pyjson::dumps(arr);
}

std::vector<ChatMessage> messages_from_json(const std::string& text) {
  const auto j = internal::pyjson::parse(text, "The chat prompt's messages");
  if (!j.is_array()) invalid("A chat prompt's template must be a JSON list of messages.");
  std::vector<ChatMessage> out;
  for (const auto& m : j) {
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string()) {
      invalid("Each chat prompt message must be an object with a string 'role'.");
    }
    ChatMessage msg;
    msg.role = m["role"].get<std::string>();
    if (m.contains("content") && !m["content"].is_null()) {
      if (!m["content"].is_string()) {
        invalid("Chat prompt messages with structured (non-text) content are not supported.");
      }
      msg.content = m["content"].get<std::string>();
    }
    out.push_back(std::move(msg));
  }
  return out;
}

bool has_jinja_markers(const std::string& s) {
  return s.find("{%") != std::string::npos && s.find("%}") != std::string::npos;
}

}  // namespace

PromptVersion::PromptVersion(std::string name, int version, std::string template_text)
    : name_(std::move(name)), version_(version), text_(std::move(template_text)) {}

PromptVersion::PromptVersion(std::string name, int version, std::vector<ChatMessage> messages)
    : name_(std::move(name)), version_(version), is_chat_(true), messages_(std::move(messages)) {
  if (messages_.empty()) {
    invalid("A chat prompt needs at least one message; use a text template otherwise.");
  }
  for (const auto& m : messages_) {
    if (m.role.empty()) invalid("Every chat prompt message needs a role (system, user, ...).");
  }
}

std::string PromptVersion::template_text() const {
  return is_chat_ ? messages_json(messages_) : text_;
}

std::vector<std::string> PromptVersion::variables() const {
  const auto vars = internal::prompts::find_variables(template_text());
  return {vars.begin(), vars.end()};
}

bool PromptVersion::is_jinja_template() const {
  if (!is_chat_) return has_jinja_markers(text_);
  for (const auto& m : messages_) {
    if (has_jinja_markers(m.content)) return true;
  }
  return false;
}

std::string PromptVersion::uri() const {
  return "prompts:/" + name_ + "/" + std::to_string(version_);
}

PromptVersion PromptVersion::format(const PromptValues& values,
                                    const FormatOptions& options) const {
  PromptVersion out = *this;
  if (is_jinja_template()) {
    // Python renders Jinja2 templates without a missing-variable check (Undefined is empty).
    if (!is_chat_) {
      out.text_ = internal::jinja::render(text_, values);
    } else {
      for (auto& m : out.messages_) m.content = internal::jinja::render(m.content, values);
    }
    return out;
  }
  if (!is_chat_) {
    out.text_ = internal::prompts::substitute(text_, values);
  } else {
    for (auto& m : out.messages_) m.content = internal::prompts::substitute(m.content, values);
  }
  std::vector<std::string> missing;
  for (const auto& v : internal::prompts::find_variables(template_text())) {
    if (values.find(v) == values.end()) missing.push_back(v);
  }
  if (!missing.empty() && !options.allow_partial) {
    std::string list;
    for (const auto& m : missing) list += (list.empty() ? "'" : ", '") + m + "'";
    invalid("Missing variables: {" + list +
            "}. To partially format the prompt, set `allow_partial=True` "
            "(FormatOptions::allow_partial).");
  }
  return out;
}

std::string PromptVersion::format_as_text(const PromptValues& values,
                                          const FormatOptions& options) const {
  if (is_chat_) {
    invalid("Prompt '" + name_ + "' is a chat prompt; use format_as_messages() instead of " +
            "format_as_text().");
  }
  return format(values, options).text_;
}

std::vector<ChatMessage> PromptVersion::format_as_messages(const PromptValues& values,
                                                           const FormatOptions& options) const {
  if (!is_chat_) {
    invalid("Prompt '" + name_ + "' is a text prompt; use format_as_text() instead of " +
            "format_as_messages().");
  }
  return format(values, options).messages_;
}

std::string PromptVersion::to_single_brace_format() const {
  const std::string text = template_text();
  return internal::prompts::to_single_brace(text, internal::prompts::find_variables(text));
}

std::vector<ChatMessage> PromptVersion::to_single_brace_messages() const {
  if (!is_chat_) invalid("Prompt '" + name_ + "' is a text prompt; it has no messages.");
  return messages_from_json(to_single_brace_format());
}

PromptVersion PromptVersion::with_template(std::string template_text) const {
  PromptVersion out = *this;
  out.is_chat_ = false;
  out.messages_.clear();
  out.text_ = std::move(template_text);
  return out;
}

PromptVersion PromptVersion::with_messages(std::vector<ChatMessage> messages) const {
  PromptVersion checked(name_, version_, std::move(messages));
  PromptVersion out = *this;
  out.is_chat_ = true;
  out.text_.clear();
  out.messages_ = std::move(checked.messages_);
  return out;
}

PromptVersion PromptVersion::with_commit_message(std::optional<std::string> commit_message) const {
  PromptVersion out = *this;
  out.commit_message_ = std::move(commit_message);
  return out;
}

PromptVersion PromptVersion::with_model_config(std::optional<PromptModelConfig> config) const {
  if (config) config->validate();
  PromptVersion out = *this;
  out.model_config_ = std::move(config);
  return out;
}

PromptVersion PromptVersion::with_response_format(std::optional<std::string> json_schema) const {
  PromptVersion out = *this;
  if (json_schema) {
    const auto j = internal::pyjson::parse(*json_schema, "The response format");
    if (!j.is_object()) invalid("The response format must be a JSON object (a JSON schema).");
    out.response_format_ = internal::pyjson::dumps(j);
  } else {
    out.response_format_.reset();
  }
  return out;
}

PromptVersion PromptVersion::with_tags(std::map<std::string, std::string> tags) const {
  PromptVersion out = *this;
  out.tags_ = std::move(tags);
  return out;
}

PromptVersion PromptVersion::with_aliases(std::vector<std::string> aliases) const {
  PromptVersion out = *this;
  out.aliases_ = std::move(aliases);
  return out;
}

PromptVersion PromptVersion::with_version(int version) const {
  PromptVersion out = *this;
  out.version_ = version;
  return out;
}

PromptVersion PromptVersion::with_timestamps(std::int64_t creation,
                                             std::optional<std::int64_t> last_updated,
                                             std::optional<std::string> user_id) const {
  PromptVersion out = *this;
  out.creation_timestamp_ = creation;
  out.last_updated_timestamp_ = last_updated;
  out.user_id_ = std::move(user_id);
  return out;
}

}  // namespace mlflow
