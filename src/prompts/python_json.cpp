// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
#include "prompts/python_json.hpp"

#include <cmath>

#include "core/json_text.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal::pyjson {

std::string float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  std::string out;
  json_text::append_float_repr(out, value);
  return out;
}

namespace {

// json.dumps' ensure_ascii strings.
void append_text(std::string& out, const std::string& text) {
  json_text::append_string(out, text, json_text::NonAscii::kEscape, "prompt text");
}

void dump_into(std::string& out, const nlohmann::ordered_json& v) {
  switch (v.type()) {
    case nlohmann::json::value_t::null:
      out += "null";
      break;
    case nlohmann::json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      break;
    case nlohmann::json::value_t::number_integer:
      out += std::to_string(v.get<std::int64_t>());
      break;
    case nlohmann::json::value_t::number_unsigned:
      out += std::to_string(v.get<std::uint64_t>());
      break;
    case nlohmann::json::value_t::number_float: {
      json_text::append_python_double(out, v.get<double>());
      break;
    }
    case nlohmann::json::value_t::string:
      append_text(out, v.get_ref<const std::string&>());
      break;
    case nlohmann::json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v) {
        if (!first) out += ", ";
        first = false;
        dump_into(out, item);
      }
      out.push_back(']');
      break;
    }
    case nlohmann::json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        append_text(out, it.key());
        out += ": ";
        dump_into(out, it.value());
      }
      out.push_back('}');
      break;
    }
    default:
      throw InvalidArgument(ErrorCode::kInvalidParameterValue,
                            "Binary or discarded JSON values cannot be stored in a prompt.");
  }
}

}  // namespace

std::string dumps(const nlohmann::ordered_json& value) {
  std::string out;
  dump_into(out, value);
  return out;
}

nlohmann::ordered_json parse(const std::string& text, const char* what) {
  try {
    // allow_exceptions, and NaN/Infinity are not JSON for nlohmann: Python never writes them in
    // the tags this reads except in model configs, where a NaN temperature is refused anyway.
    return nlohmann::ordered_json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw InvalidArgument(
        ErrorCode::kInvalidParameterValue,
        std::string(what) + " is not valid JSON (" + e.what() + "): " + text.substr(0, 200));
  }
}

}  // namespace mlflow::internal::pyjson
