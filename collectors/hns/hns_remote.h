// The remote HNS endpoints of an inventory, held compactly (docs/architecture.md,
// "Remote endpoints"). kube-proxy gives a Windows node one remote endpoint per
// Service backend elsewhere in the cluster, thousands of them; of each, the
// exporter shows only the ID, name, network, addresses, MAC and state. Their
// text lives in one buffer and each endpoint is a row of offsets into it, so
// 5,000 remote endpoints take about 0.6 MB instead of the 2.9 MB of parsed
// records and 3 MB of snapshot views they took before (bench/README.md,
// "Footprint").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "collectors/hns/hns_v1.h"

namespace winnet {

class HnsRemoteEndpoints {
 public:
  // A remote endpoint's network as HNS named it.
  struct Network {
    std::string id;    // VirtualNetwork, normalised; "" for the zero GUID
    std::string name;  // VirtualNetworkName
  };

  // One remote endpoint, read through the list it belongs to.
  class Ref {
   public:
    std::string_view id() const { return Field(kId); }  // normalised GUID
    std::string_view name() const { return Field(kName); }
    std::string_view ip() const { return Field(kIp); }  // as HNS wrote them
    std::string_view ipv6() const { return Field(kIpv6); }
    std::string_view mac() const { return Field(kMac); }
    int64_t state() const { return list_->rows_[i_].state; }
    uint32_t network_index() const { return list_->rows_[i_].network; }
    const Network& network() const { return list_->networks_[network_index()]; }

   private:
    friend class HnsRemoteEndpoints;
    Ref(const HnsRemoteEndpoints* list, size_t i) : list_(list), i_(i) {}
    std::string_view Field(int field) const;
    const HnsRemoteEndpoints* list_;
    size_t i_;
  };

  // Adds `e` (a remote endpoint) at the end; keeps only what Ref gives.
  void Add(const HnsEndpoint& e);
  // Once the list is complete: gives back the spare capacity and what Add
  // used to find the networks.
  void ShrinkToFit();

  size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  Ref operator[](size_t i) const { return Ref(this, i); }
  const std::vector<Network>& networks() const { return networks_; }
  // Bytes held by the list (its buffers, not the object itself).
  size_t HeldBytes() const;

 private:
  enum FieldIndex { kId, kName, kIp, kIpv6, kMac, kFields };
  struct Row {
    uint32_t end[kFields];  // where each field ends in text_; it starts where the one before ended
    uint32_t network;       // index into networks_
    int64_t state;
  };
  uint32_t NetworkIndexOf(const HnsEndpoint& e);

  std::string text_;
  std::vector<Row> rows_;
  std::vector<Network> networks_;
  // Index in networks_ by id and name, while the list is filled.
  std::unordered_map<std::string, uint32_t> network_index_;
};

}  // namespace winnet
