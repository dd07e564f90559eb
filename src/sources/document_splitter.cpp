// A byte-at-a-time scanner tracking strings, escapes and nesting; it validates nothing (the parser does).
#include "sources/document_splitter.hpp"
#include "core/files.hpp"

#include <cctype>

namespace sb::sources {

void DocumentSplitter::feed(std::string_view bytes) {
  for (const char c : bytes) {
    if (!in_document_) {
      if (std::isspace(static_cast<unsigned char>(c))) continue;
      in_document_ = true;
      scalar_ = c != '{' && c != '[';
      depth_ = 0;
      in_string_ = false;
      escaped_ = false;
      oversized_ = false;
      current_size_ = 0;
      current_.clear();
    }
    if (scalar_ && !in_string_ && std::isspace(static_cast<unsigned char>(c))) {
      emit();
      continue;
    }
    ++current_size_;
    if (!oversized_) {
      if (current_size_ > max_bytes_) {
        oversized_ = true;
        current_.clear();
        current_.shrink_to_fit();
      } else {
        current_.push_back(c);
      }
    }
    if (in_string_) {
      if (escaped_) {
        escaped_ = false;
      } else if (c == '\\') {
        escaped_ = true;
      } else if (c == '"') {
        in_string_ = false;
      }
      continue;
    }
    if (c == '"') {
      in_string_ = true;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      if (--depth_ <= 0 && !scalar_) emit();
    }
  }
}

void DocumentSplitter::finish() {
  if (in_document_) emit();
}

void DocumentSplitter::emit() {
  Document doc;
  doc.oversized = oversized_;
  doc.size = current_size_;
  if (!oversized_) {
    doc.text.reserve(current_.size() + core::kInputPadding);
    doc.text.assign(current_);
  }
  ready_.push_back(std::move(doc));
  in_document_ = false;
  current_.clear();
}

std::optional<DocumentSplitter::Document> DocumentSplitter::take() {
  if (ready_head_ >= ready_.size()) {
    ready_.clear();
    ready_head_ = 0;
    return std::nullopt;
  }
  return std::move(ready_[ready_head_++]);
}

}  // namespace sb::sources
