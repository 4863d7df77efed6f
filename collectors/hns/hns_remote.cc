#include "collectors/hns/hns_remote.h"

#include <memory>
#include <utility>

#include "collectors/hns/hns_data.h"

namespace winnet {

std::string_view HnsRemoteEndpoints::Ref::Field(int field) const {
  const Row& row = list_->rows_[i_];
  uint32_t begin = 0;
  if (field > 0) {
    begin = row.end[field - 1];
  } else if (i_ > 0) {
    begin = list_->rows_[i_ - 1].end[kFields - 1];
  }
  return std::string_view(list_->text_).substr(begin, row.end[field] - begin);
}

void HnsRemoteEndpoints::Add(const HnsEndpoint& e) {
  Row row{};
  const std::string* fields[kFields] = {&e.id, &e.name, &e.ip, &e.ipv6, &e.mac};
  // Offsets are 32-bit: the text comes from one HNS answer, at most
  // kMaxHnsResponseBytes (256 MiB).
  for (int f = 0; f < kFields; ++f) {
    text_ += *fields[f];
    row.end[f] = static_cast<uint32_t>(text_.size());
  }
  row.network = NetworkIndexOf(e);
  row.state = e.state;
  rows_.push_back(row);
}

// The few networks the remote endpoints are on, each kept once.
uint32_t HnsRemoteEndpoints::NetworkIndexOf(const HnsEndpoint& e) {
  auto key = [](const Network& n) { return std::to_string(n.id.size()) + ':' + n.id + n.name; };
  if (network_index_.empty()) {  // after ShrinkToFit: found again
    for (size_t i = 0; i < networks_.size(); ++i) {
      network_index_.emplace(key(networks_[i]), static_cast<uint32_t>(i));
    }
  }
  Network network{e.network_id, e.network_name};
  const auto [it, added] =
      network_index_.try_emplace(key(network), static_cast<uint32_t>(networks_.size()));
  if (added) networks_.push_back(std::move(network));
  return it->second;
}

void HnsRemoteEndpoints::ShrinkToFit() {
  text_.shrink_to_fit();
  rows_.shrink_to_fit();
  network_index_ = {};
}

size_t HnsRemoteEndpoints::HeldBytes() const {
  size_t bytes = text_.capacity() + rows_.capacity() * sizeof(Row);
  for (const auto& n : networks_) bytes += sizeof(Network) + n.id.capacity() + n.name.capacity();
  return bytes;
}

void SetHnsEndpoints(std::vector<HnsEndpoint> all, HnsData* data) {
  auto remote = std::make_shared<HnsRemoteEndpoints>();
  data->endpoints.clear();
  for (auto& e : all) {
    if (e.remote) {
      remote->Add(e);
      e = HnsEndpoint{};  // its strings go as the list fills, not after
    } else {
      data->endpoints.push_back(std::move(e));
    }
  }
  remote->ShrinkToFit();
  data->endpoints.shrink_to_fit();
  data->remote = std::move(remote);
}

}  // namespace winnet
