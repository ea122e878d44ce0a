// Copyright mlflow-cpp authors. Licensed under the Apache License 2.0.
// The one UTF-8 decoder (core/utf8) and Python's character classes (core/python_chars).
#include "core/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/python_chars.hpp"
#include "mlflow/errors.hpp"

namespace mlflow::internal {
namespace {

TEST(Utf8, EncodesAndDecodesEveryScalarValue) {
  for (char32_t cp = 0; cp <= 0x10FFFF; ++cp) {
    if (cp >= 0xD800 && cp <= 0xDFFF) continue;
    std::string s;
    utf8::append(s, cp);
    const utf8::Decoded d = utf8::decode(s, 0);
    ASSERT_EQ(d.code_point, cp);
    ASSERT_EQ(d.length, s.size());
    ASSERT_EQ(utf8::length(s), 1u);
  }
}

TEST(Utf8, RefusesWhatPythonsDecoderRefuses) {
  // Truncated, stray continuation, overlong (2, 3, 4 bytes), surrogate, past U+10FFFF, F5-FF.
  for (const std::string bad :
       {"\xC3", "\x80", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xF0\x80\x80\xAF", "\xED\xA0\x80",
        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xE2\x82", "\xF0\x9F\x98"}) {
    EXPECT_EQ(utf8::decode(bad, 0).length, 0u) << bad.size();
    EXPECT_FALSE(utf8::is_valid("ok" + bad));
    EXPECT_EQ(utf8::find_invalid("ok" + bad), 2u);
  }
  EXPECT_TRUE(utf8::is_valid("h\xC3\xA9llo \xE2\x82\xAC \xF0\x9F\x94\xA5 \xEF\xBF\xBF"));
  EXPECT_EQ(utf8::find_invalid(""), std::string::npos);
}

TEST(Utf8, RequireValidNamesTheFieldTheByteAndItsOffset) {
  try {
    utf8::require_valid("ab\xC3\xA9\xFFz", "params[3].value");
    ADD_FAILURE() << "accepted invalid UTF-8";
  } catch (const InvalidArgument& e) {
    const std::string msg = e.what();
    EXPECT_EQ(e.error_code(), ErrorCode::kInvalidParameterValue);
    EXPECT_NE(msg.find("'params[3].value' is not valid UTF-8"), std::string::npos) << msg;
    EXPECT_NE(msg.find("byte 0xFF at offset 4 of 6"), std::string::npos) << msg;
  }
  EXPECT_NO_THROW(utf8::require_valid("\xD0\xB6", "key"));
}

TEST(Utf8, CountsAndCutsCodePointsAsPythonsLenAndSlice) {
  const std::string text = "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x94\xA5z";  // a é 中 🔥 z
  EXPECT_EQ(utf8::length(text), 5u);
  EXPECT_EQ(utf8::truncate(text, 0), "");
  EXPECT_EQ(utf8::truncate(text, 2), "a\xC3\xA9");
  EXPECT_EQ(utf8::truncate(text, 4), "a\xC3\xA9\xE4\xB8\xAD\xF0\x9F\x94\xA5");
  EXPECT_EQ(utf8::truncate(text, 99), text);
  // Every prefix is valid UTF-8: a character is never cut in half.
  for (std::size_t n = 0; n <= 5; ++n) EXPECT_TRUE(utf8::is_valid(utf8::truncate(text, n)));
  EXPECT_EQ(utf8::split(text).size(), 5u);
  EXPECT_EQ(utf8::split("a\xFF").size(), 2u);  // an invalid byte stays one item
}

TEST(Utf8, ReplaceInvalidIsPythonsErrorsReplace) {
  EXPECT_EQ(utf8::replace_invalid("a\xC3\xA9z"), "a\xC3\xA9z");
  // Each byte that starts no valid sequence becomes one U+FFFD; valid neighbours are kept.
  EXPECT_EQ(utf8::replace_invalid("a\xFF\xC3\xA9\xC3"), "a\xEF\xBF\xBD\xC3\xA9\xEF\xBF\xBD");
  EXPECT_EQ(utf8::replace_invalid("\xED\xA0\x80"),  // a surrogate: three invalid bytes
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_TRUE(utf8::is_valid(utf8::replace_invalid("\x80\x80x\xF5")));
}

TEST(PythonChars, WordCharactersAreUnicodeAwareLikePythonsRe) {
  for (const char32_t yes : {U'a', U'Z', U'0', U'_', U'\u00e9', U'\u0436', U'\u4e2d', U'\u00b2',
                             U'\u0663', U'\U00020000'}) {
    EXPECT_TRUE(is_python_word_char(yes)) << static_cast<unsigned>(yes);
  }
  for (const char32_t no :
       {U'-', U' ', U'/', U'\u00a0', U'\u0301', U'\u200d', U'\U0001F525', U'\u3000', U'\u2028'}) {
    EXPECT_FALSE(is_python_word_char(no)) << static_cast<unsigned>(no);
  }
  EXPECT_STREQ(python_unicode_version(), "14.0.0");
}

TEST(PythonChars, BlankIsWhatPythonsStripEmpties) {
  EXPECT_TRUE(is_python_blank(""));
  EXPECT_TRUE(is_python_blank(" \t\n"));
  EXPECT_TRUE(is_python_blank("\xC2\xA0\xE3\x80\x80\xE2\x80\xA8"));  // U+00A0 U+3000 U+2028
  EXPECT_FALSE(is_python_blank(" x "));
  EXPECT_FALSE(is_python_blank("\xE2\x80\x8B"));  // U+200B is not whitespace in Python
  EXPECT_FALSE(is_python_blank("\xFF"));
}

}  // namespace
}  // namespace mlflow::internal
