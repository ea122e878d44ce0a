// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "core/trace_preview.hpp"

#include <vector>

#include "core/strings.hpp"
#include "core/utf8.hpp"
#include "mlflow/json_value.hpp"

namespace mlflow::internal {
namespace {

bool is_message(const JsonValue& item) {
  return item.is_object() && item.contains("role") && item.contains("content");
}

// Python's truthiness of a JSON value.
bool truthy(const JsonValue* v) {
  if (v == nullptr || v->is_null()) return false;
  if (v->is_bool()) return v->as_bool();
  if (v->is_int()) return v->as_int() != 0;
  if (v->is_double()) return v->as_double() != 0;
  if (v->is_string()) return !v->as_string().empty();
  return !v->empty();
}

std::vector<const JsonValue*> messages_of(const JsonValue& list) {
  std::vector<const JsonValue*> out;
  for (const auto& item : list.as_array()) {
    if (is_message(item)) out.push_back(&item);
  }
  return out;
}

// _try_extract_messages: OpenAI chat requests and responses, Responses API input and output,
// ResponsesAgent requests. nullopt where Python returns None.
std::optional<std::vector<const JsonValue*>> extract_messages(const JsonValue& obj) {
  if (!obj.is_object()) return std::nullopt;
  const JsonValue* messages = obj.find("messages");
  if (truthy(messages) && messages->is_array()) return messages_of(*messages);
  const JsonValue* choices = obj.find("choices");
  if (truthy(choices) && choices->is_array() && choices->at(0).is_object()) {
    const JsonValue* msg = choices->at(0).find("message");
    if (truthy(msg) && is_message(*msg)) return std::vector<const JsonValue*>{msg};
  }
  for (const char* key : {"input", "output"}) {
    const JsonValue* list = obj.find(key);
    if (truthy(list) && list->is_array()) return messages_of(*list);
  }
  if (const JsonValue* request = obj.find("request")) return extract_messages(*request);
  return std::nullopt;
}

// _get_text_content_from_message; nullopt for a text part whose text is not a string.
std::optional<std::string> text_content(const JsonValue& message) {
  const JsonValue* content = message.find("content");
  if (content != nullptr && content->is_array()) {
    for (const auto& part : content->as_array()) {
      if (part.is_string()) return part.as_string();
      if (part.is_object()) {
        const JsonValue* type = part.find("type");
        if (type != nullptr && type->is_string() &&
            (type->as_string() == "text" || type->as_string() == "output_text")) {
          const JsonValue* text = part.find("text");
          if (text != nullptr && text->is_string()) return text->as_string();
          return std::nullopt;
        }
      }
    }
  } else if (content != nullptr && content->is_string()) {
    return content->as_string();
  }
  return std::string();
}

}  // namespace

std::string replace_nul(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\0') {
      out += "\xEF\xBF\xBD";
    } else {
      out += c;
    }
  }
  return out;
}

std::string truncated_preview(const std::string& serialized, const std::string& role) {
  std::string content;
  try {
    const JsonValue obj = JsonValue::parse(serialized);
    if (const auto messages = extract_messages(obj); messages && !messages->empty()) {
      const JsonValue* chosen = messages->back();
      for (auto it = messages->rbegin(); it != messages->rend(); ++it) {
        const JsonValue* r = (*it)->find("role");
        if (r != nullptr && r->is_string() && r->as_string() == role) {
          chosen = *it;
          break;
        }
      }
      content = text_content(*chosen).value_or(std::string());
    }
  } catch (const std::exception&) {
    // Not JSON: the text itself is the preview.
  }
  content = replace_nul(content.empty() ? serialized : content);
  if (utf8::length(content) <= kTracePreviewMaxLength) return content;
  return utf8::truncate(content, kTracePreviewMaxLength - 3) + "...";
}

}  // namespace mlflow::internal
