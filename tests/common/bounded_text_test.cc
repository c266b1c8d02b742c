// BoundedText: short text unchanged; long text cut to the bound on a UTF-8
// boundary, saying how much was cut.
#include "common/bounded_text.h"

#include <gtest/gtest.h>

#include <string>

namespace thor {
namespace {

TEST(BoundedTextTest, ShortTextIsUnchanged) {
  EXPECT_EQ(BoundedText("Error: no such tactic", 64), "Error: no such tactic");
  const std::string exact(64, 'a');
  EXPECT_EQ(BoundedText(exact, 64), exact);
}

TEST(BoundedTextTest, LongTextIsCutToTheBoundAndSaysHowMuch) {
  const std::string big = "Coq rejected the statement: " + std::string(5 << 20, 'x');
  const std::string cut = BoundedText(big);
  EXPECT_LE(cut.size(), kMaxMessageBytes);
  EXPECT_EQ(cut.substr(0, 28), "Coq rejected the statement: ");
  const std::string note = " of " + std::to_string(big.size()) + " bytes cut]";
  ASSERT_GE(cut.size(), note.size());
  EXPECT_EQ(cut.substr(cut.size() - note.size()), note);
}

TEST(BoundedTextTest, NeverCutsInsideAUtf8Character) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "\xE2\x88\x80";  // U+2200, 3 bytes.
  for (size_t max = 50; max < 80; ++max) {
    const std::string cut = BoundedText(text, max);
    const size_t kept = cut.find(" ... [");
    ASSERT_NE(kept, std::string::npos) << max;
    EXPECT_EQ(kept % 3, 0u) << "cut inside a character at bound " << max;
  }
}

}  // namespace
}  // namespace thor
