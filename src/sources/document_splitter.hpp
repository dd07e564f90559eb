// Cuts a byte stream into top-level JSON documents (NDJSON, concatenated or pretty-printed), so stdin can
// carry many reports in constant memory per document.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::sources {

class DocumentSplitter {
 public:
  explicit DocumentSplitter(size_t max_document_bytes) : max_bytes_(max_document_bytes) {}

  //! A finished document, or one that was cut short (oversized: the text is dropped, `oversized` set).
  struct Document {
    std::string text;
    bool oversized = false;
    size_t size = 0;
  };

  //! Feeds bytes; complete documents are queued for take().
  void feed(std::string_view bytes);
  //! End of input: a partial last document is released as it is (the parser reports it truncated).
  void finish();
  std::optional<Document> take();

 private:
  void emit();

  size_t max_bytes_;
  std::string current_;
  size_t current_size_ = 0;
  bool in_document_ = false;
  bool scalar_ = false;  // a top-level scalar ends at whitespace
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool oversized_ = false;
  std::vector<Document> ready_;
  size_t ready_head_ = 0;
};

}  // namespace sb::sources
