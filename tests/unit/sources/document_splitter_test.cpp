// The stdin document splitter: NDJSON, concatenated and pretty-printed documents, strings with braces,
// oversized documents, and input fed in arbitrary chunks.
#include <gtest/gtest.h>

#include "sources/document_splitter.hpp"

namespace sb::sources {
namespace {

std::vector<sources::DocumentSplitter::Document> split(std::string_view text, size_t chunk,
                                                       size_t max_bytes = 1 << 20) {
  sources::DocumentSplitter splitter(max_bytes);
  for (size_t pos = 0; pos < text.size(); pos += chunk) splitter.feed(text.substr(pos, chunk));
  splitter.finish();
  std::vector<sources::DocumentSplitter::Document> docs;
  while (auto doc = splitter.take()) docs.push_back(std::move(*doc));
  return docs;
}

TEST(DocumentSplitter, NdjsonConcatenatedAndPrettyInAnyChunking) {
  const std::string text = "{\"a\":1}\n{\"b\":\"}{\\\"\"}{\"c\":[1,\n  {\"d\":2}\n]}\n\n  [{\"e\":3}]  ";
  for (const size_t chunk : {1UL, 2UL, 3UL, 7UL, 1000UL}) {
    const auto docs = split(text, chunk);
    ASSERT_EQ(docs.size(), 4u) << "chunk " << chunk;
    EXPECT_EQ(docs[0].text, "{\"a\":1}");
    EXPECT_EQ(docs[1].text, "{\"b\":\"}{\\\"\"}");
    EXPECT_EQ(docs[2].text, "{\"c\":[1,\n  {\"d\":2}\n]}");
    EXPECT_EQ(docs[3].text, "[{\"e\":3}]");
  }
}

TEST(DocumentSplitter, TruncatedLastDocumentIsReleasedForTheParserToReject) {
  const auto docs = split("{\"a\":1} {\"b\":[1,2", 4);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[1].text, "{\"b\":[1,2");
}

TEST(DocumentSplitter, OversizedDocumentIsFlaggedAndTheNextOneStillArrives) {
  const std::string big = "{\"x\":\"" + std::string(100, 'y') + "\"}";
  const auto docs = split(big + "\n{\"ok\":true}\n", 16, 50);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_TRUE(docs[0].oversized);
  EXPECT_EQ(docs[0].size, big.size());
  EXPECT_TRUE(docs[0].text.empty());
  EXPECT_FALSE(docs[1].oversized);
  EXPECT_EQ(docs[1].text, "{\"ok\":true}");
}

TEST(DocumentSplitter, TopLevelScalarEndsAtWhitespace) {
  const auto docs = split("42 {\"a\":1}", 3);
  ASSERT_EQ(docs.size(), 2u);
  EXPECT_EQ(docs[0].text, "42");
}

}  // namespace
}  // namespace sb::sources
