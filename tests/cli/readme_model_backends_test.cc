// README's "Model backends" section stays true: every `thor` command line in
// it is parsed with the real flags of its subcommand and the JSON example
// with the real configuration parser, and each policy they define is built
// by the real registry (no model server is contacted: building a policy
// reads its options, key and CA file, and connects on the first query).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/flags/declare.h"
#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "app/wiring.h"
#include "cli/cli.h"
#include "cli/server_flags.h"
#include "server/log.h"
#include "tests/testing/paths.h"

ABSL_DECLARE_FLAG(std::string, config);

namespace thor {
namespace {

// The text of README.md's "## Model backends" section.
std::string Section() {
  std::ifstream in(testing::SourceDir() + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const size_t begin = readme.find("\n## Model backends\n");
  EXPECT_NE(begin, std::string::npos) << "README.md has no 'Model backends' section";
  if (begin == std::string::npos) return "";
  const size_t end = readme.find("\n## ", begin + 1);
  return readme.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// The bodies of the section's ````lang` blocks.
std::vector<std::string> Blocks(const std::string& section, const std::string& lang) {
  std::vector<std::string> out;
  const std::string open = "```" + lang + "\n";
  for (size_t at = section.find(open); at != std::string::npos; at = section.find(open, at)) {
    at += open.size();
    const size_t close = section.find("```", at);
    out.push_back(section.substr(at, close - at));
    at = close;
  }
  return out;
}

// A shell line split into words (single and double quotes; no escapes,
// which the README's lines do not use).
std::vector<std::string> ShellWords(absl::string_view line) {
  std::vector<std::string> words;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote)
        quote = 0;
      else
        cur += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ') {
      if (in_word) words.push_back(cur);
      cur.clear();
      in_word = false;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(cur);
  return words;
}

class ReadmeModelBackendsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogStream(nullptr);
    setenv("OPENAI_API_KEY", "sk-readme-test", 1);  // The hosted example names it.
    // The registry's Coq backend keeps no coqtop warm here.
    config_ = testing::MakeTempDir() + "/config.json";
    std::ofstream(config_)
        << R"({"provers": {"coq": {"max_idle_processes": 0, "spare_processes": 0}}})";
  }
  void TearDown() override { unsetenv("OPENAI_API_KEY"); }
  std::string config_;
};

TEST_F(ReadmeModelBackendsTest, EveryThorCommandLineDefinesAWorkingPolicy) {
  int lines = 0;
  for (const std::string& block : Blocks(Section(), "sh")) {
    for (absl::string_view line : absl::StrSplit(block, '\n')) {
      line = absl::StripAsciiWhitespace(line);
      if (!absl::StartsWith(line, "thor ")) continue;
      ++lines;
      SCOPED_TRACE(std::string(line));
      absl::FlagSaver saver;
      absl::SetFlag(&FLAGS_config, config_);
      const std::vector<std::string> words = ShellWords(line);
      ASSERT_GE(words.size(), 2u);
      const Subcommand* command = nullptr;
      const std::vector<Subcommand> all = AllSubcommands();
      for (const Subcommand& c : all) {
        if (c.name == words[1]) command = &c;
      }
      ASSERT_NE(command, nullptr) << "no subcommand " << words[1];
      const std::vector<const absl::CommandLineFlag*> accepted = FlagsOf(*command);
      std::string policy;
      for (size_t i = 2; i < words.size(); ++i) {
        ASSERT_TRUE(absl::StartsWith(words[i], "--")) << words[i];
        const std::string name = words[i].substr(2, words[i].find('=') - 2);
        const std::string value = words[i].substr(words[i].find('=') + 1);
        absl::CommandLineFlag* flag = absl::FindCommandLineFlag(name);
        ASSERT_NE(flag, nullptr) << name;
        EXPECT_NE(std::find(accepted.begin(), accepted.end(), flag), accepted.end())
            << "thor " << command->name << " takes no --" << name;
        std::string error;
        ASSERT_TRUE(flag->ParseFrom(value, &error)) << name << ": " << error;
        if (name == "policy") policy = value;
      }
      absl::StatusOr<ServerConfig> config = ServerConfigFromFlags();
      ASSERT_TRUE(config.ok()) << config.status();
      EXPECT_EQ(config->default_policy, policy);
      absl::StatusOr<std::shared_ptr<Registry>> registry = BuildRegistry(*config);
      ASSERT_TRUE(registry.ok()) << registry.status();
      absl::StatusOr<std::shared_ptr<Policy>> built = (*registry)->GetPolicy("", "policy");
      ASSERT_TRUE(built.ok()) << built.status();
      EXPECT_TRUE(absl::StartsWith((*built)->Name(), policy + ":")) << (*built)->Name();
    }
  }
  EXPECT_EQ(lines, 5) << "vLLM, llama.cpp, Ollama, TGI and a hosted API";
}

TEST_F(ReadmeModelBackendsTest, TheJsonConfigurationBuildsEveryPolicy) {
  const std::vector<std::string> blocks = Blocks(Section(), "json");
  ASSERT_EQ(blocks.size(), 1u);
  absl::StatusOr<ServerConfig> config = LoadServerConfig(config_);
  ASSERT_TRUE(config.ok()) << config.status();
  config = ParseServerConfig(blocks[0], *config);
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->policies.size(), 5u);
  absl::StatusOr<std::shared_ptr<Registry>> registry = BuildRegistry(*config);
  ASSERT_TRUE(registry.ok()) << registry.status();
  for (const auto& [name, spec] : config->policies) {
    absl::StatusOr<std::shared_ptr<Policy>> built = (*registry)->GetPolicy(name, "policy");
    ASSERT_TRUE(built.ok()) << name << ": " << built.status();
    EXPECT_TRUE(absl::StartsWith((*built)->Name(), spec.kind + ":")) << (*built)->Name();
  }
  EXPECT_TRUE((*registry)->GetPolicy("", "policy").ok());  // default_policy exists.
}

}  // namespace
}  // namespace thor
