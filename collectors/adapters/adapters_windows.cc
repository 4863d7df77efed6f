// Interface counters from one GetIfTable2Ex call (docs/hns.md, "Adapter counters").
//
// MibIfTableRaw reads each row's counters from that interface itself instead
// of from the top of its filter stack (MibIfTableNormal): what crossed the
// (v)NIC, even where a filter (WFP, a vSwitch extension) drops or injects
// packets. How far the levels differ, and their cost, is still to be measured
// on a node (README, Windows section).
//
// Include order matters with mingw-w64: netioapi.h declares the MIB_IF_ROW2
// API only after ws2ipdef.h.
// clang-format off
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>
#include <iphlpapi.h>
#include <netioapi.h>
// clang-format on

#include <vector>

#include "collectors/adapters/live_adapters.h"
#include "collectors/common/netaddr.h"
#include "collectors/common/win32_text_windows.h"

namespace winnet {

namespace {

// Frees the table on scope exit.
class MibTable {
 public:
  MibTable() = default;
  ~MibTable() {
    if (table_ != nullptr) FreeMibTable(table_);
  }
  MibTable(const MibTable&) = delete;
  MibTable& operator=(const MibTable&) = delete;
  PMIB_IF_TABLE2* out() { return &table_; }
  const MIB_IF_TABLE2* get() const { return table_; }

 private:
  PMIB_IF_TABLE2 table_ = nullptr;
};

AdapterRow ToRow(const MIB_IF_ROW2& r) {
  AdapterRow row;
  row.alias = win32::NarrowFixed(r.Alias);
  row.description = win32::NarrowFixed(r.Description);
  row.interface_index = r.InterfaceIndex;
  if (r.PhysicalAddressLength > 0 && r.PhysicalAddressLength <= sizeof r.PhysicalAddress) {
    row.mac = FormatMac(
        std::vector<uint8_t>(r.PhysicalAddress, r.PhysicalAddress + r.PhysicalAddressLength));
  }
  row.oper_status = static_cast<int64_t>(r.OperStatus);
  row.receive_link_speed = r.ReceiveLinkSpeed;
  row.transmit_link_speed = r.TransmitLinkSpeed;
  row.in_octets = r.InOctets;
  row.out_octets = r.OutOctets;
  row.in_ucast_pkts = r.InUcastPkts;
  row.in_nucast_pkts = r.InNUcastPkts;
  row.out_ucast_pkts = r.OutUcastPkts;
  row.out_nucast_pkts = r.OutNUcastPkts;
  row.in_discards = r.InDiscards;
  row.in_errors = r.InErrors;
  row.out_discards = r.OutDiscards;
  row.out_errors = r.OutErrors;
  return row;
}

class IfTableAdapters : public AdapterSource {
 public:
  Result<std::vector<AdapterRow>> List() override {
    MibTable table;
    DWORD rc = GetIfTable2Ex(MibIfTableRaw, table.out());
    if (rc != NO_ERROR) return MakeError("GetIfTable2Ex(MibIfTableRaw): " + win32::ErrorText(rc));
    std::vector<AdapterRow> rows;
    const MIB_IF_TABLE2* t = table.get();
    rows.reserve(t->NumEntries);
    for (ULONG i = 0; i < t->NumEntries; ++i) {
      const MIB_IF_ROW2& r = t->Table[i];
      // Filter drivers (WFP, QoS, vSwitch extensions) repeat the adapter they sit on.
      if (r.InterfaceAndOperStatusFlags.FilterInterface) continue;
      AdapterRow row = ToRow(r);
      if (row.alias.empty()) continue;
      rows.push_back(std::move(row));  // raw: a shared alias is told apart by the reader
    }
    return rows;
  }

  std::string Where() const override { return "GetIfTable2Ex(MibIfTableRaw)"; }
};

}  // namespace

std::unique_ptr<AdapterSource> MakeKernelAdapterSource() {
  return std::make_unique<IfTableAdapters>();
}

}  // namespace winnet
