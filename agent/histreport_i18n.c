/*
 * histreport_i18n: label and term tables; see the header.
 */
#include "histreport_i18n.h"

#include <stddef.h>
#include <string.h>

static const char *const labels[L_NLABELS][2] = {
    [L_TITLE] = {"Báo cáo mạng truyền số liệu chuyên dùng",
                 "Dedicated data network (TSLCD) report"},
    [L_PROVINCE] = {"Tỉnh/thành phố", "Province"},
    [L_PERIOD] = {"Kỳ báo cáo", "Period"},
    [L_PARTIAL] = {"Kỳ chưa kết thúc: số liệu tính đến", "Period in progress: figures up to"},
    [L_GENERATED] = {"Lập lúc", "Generated"},
    [L_SUMMARY] = {"Tổng hợp", "Summary"},
    [L_OFFICES] = {"Số cơ quan", "Offices"},
    [L_CONNECTED] = {"Cơ quan có kết nối", "Offices connected"},
    [L_DISTRIBUTION] = {"Phân bố độ khả dụng", "Availability distribution"},
    [L_WORST] = {"10 cơ quan kém nhất", "The 10 worst offices"},
    [L_BY_CAUSE] = {"Sự cố theo nguyên nhân", "Incidents by cause"},
    [L_BY_CARRIER] = {"Sự cố theo nhà mạng", "Incidents by carrier"},
    [L_BELOW_SLA] = {"Cơ quan dưới mức cam kết", "Offices below the SLA target"},
    [L_STALE] = {"Cơ quan chưa có báo cáo sẵn sàng ATTT mới",
                 "Offices without a fresh readiness report"},
    [L_OFFICE_TABLE] = {"Cơ quan", "Offices"},
    [L_CODE] = {"Mã", "Code"},
    [L_NAME] = {"Tên cơ quan", "Name"},
    [L_LEVEL] = {"Cấp hành chính", "Admin level"},
    [L_TIER] = {"Cấp truy nhập", "Access tier"},
    [L_AVAIL_RAW] = {"Khả dụng (thô)", "Availability (raw)"},
    [L_AVAIL_ADJ] = {"Khả dụng (trừ bảo trì)", "Availability (excl. maintenance)"},
    [L_MONITORED] = {"Thời gian giám sát", "Monitored"},
    [L_OUTAGES] = {"Số sự cố", "Outages"},
    [L_DOWNTIME] = {"Tổng thời gian gián đoạn", "Total downtime"},
    [L_LONGEST] = {"Sự cố dài nhất", "Longest outage"},
    [L_REDUNDANCY] = {"Dự phòng", "Redundancy"},
    [L_READINESS] = {"Sẵn sàng ATTT", "Readiness"},
    [L_LINE_TABLE] = {"Đường truyền và tốc độ", "Lines and speeds"},
    [L_LINE] = {"Đường truyền", "Line"},
    [L_CARRIER] = {"Nhà mạng", "Carrier"},
    [L_CIRCUIT] = {"Mã kênh", "Circuit"},
    [L_CONTRACT] = {"Tốc độ cam kết", "Contracted speed"},
    [L_AVG_IN_OUT] = {"Trung bình vào/ra", "Average in/out"},
    [L_PEAK_IN_OUT] = {"Cao nhất vào/ra", "Peak in/out"},
    [L_P95_IN_OUT] = {"P95 vào/ra", "P95 in/out"},
    [L_VOLUME_IN_OUT] = {"Lưu lượng vào/ra", "Volume in/out"},
    [L_INCIDENTS] = {"Danh sách sự cố", "Incident list"},
    [L_START] = {"Bắt đầu", "Start"},
    [L_END] = {"Kết thúc", "End"},
    [L_DURATION] = {"Thời lượng", "Duration"},
    [L_CAUSE] = {"Nguyên nhân", "Cause"},
    [L_TICKET] = {"Phiếu xử lý", "Ticket"},
    [L_ONGOING] = {"đang diễn ra", "ongoing"},
    [L_USAGE] = {"Sử dụng băng thông theo tháng", "Monthly bandwidth use"},
    [L_MONTH] = {"Tháng", "Month"},
    [L_AVG_USE] = {"Sử dụng trung bình", "Average use"},
    [L_PEAK_USE] = {"Sử dụng cao nhất", "Peak use"},
    [L_CHART_AVAIL] = {"Độ khả dụng theo cơ quan (tăng dần)",
                       "Availability per office (ascending)"},
    [L_CHART_P95] = {"Phân bố mức sử dụng P95 so với cam kết",
                     "Distribution of p95 utilisation against the contract"},
    [L_CHART_TIMELINE] = {"Diễn biến sự cố của các cơ quan kém nhất",
                          "Outage timelines of the worst offices"},
    [L_COUNT] = {"Số lượng", "Count"},
    [L_NONE] = {"Không có", "None"},
    [L_NO_DATA] = {"không có số liệu", "no data"},
    [L_TARGET] = {"mục tiêu", "target"},
};

static const char *const terms[][3] = {
    {"unknown", "Chưa rõ", "Unknown"},
    {"powerLoss", "Mất điện", "Power loss"},
    {"fiberCut", "Đứt cáp quang", "Fibre cut"},
    {"cpeFault", "Lỗi thiết bị đầu cuối", "CPE fault"},
    {"providerNetwork", "Lỗi mạng nhà cung cấp", "Provider network"},
    {"customerLan", "Lỗi mạng LAN cơ quan", "Customer LAN"},
    {"naturalDisaster", "Thiên tai", "Natural disaster"},
    {"securityIsolation", "Cách ly vì an toàn thông tin", "Security isolation"},
    {"plannedWork", "Bảo trì theo kế hoạch", "Planned work"},
    {"upstream", "Mất kết nối từ nút mạng phía trên", "Upstream node down"},
    {"central", "Trung ương", "Central"},
    {"province", "Tỉnh", "Province"},
    {"district", "Huyện (cũ)", "District (historical)"},
    {"commune", "Xã/phường", "Commune"},
    {"tier1", "Cấp I", "Tier I"},
    {"tier2", "Cấp II", "Tier II"},
    {"1", "Cấp I", "Tier I"},
    {"2", "Cấp II", "Tier II"},
    {"compliant", "Đạt", "Compliant"},
    {"nonCompliant", "Không đạt", "Non-compliant"},
    {"ready", "Sẵn sàng", "Ready"},
    {"partial", "Một phần", "Partial"},
    {"notReady", "Chưa sẵn sàng", "Not ready"},
    {"vnpt", "VNPT", "VNPT"},
    {"viettel", "Viettel", "Viettel"},
    {"other", "Khác", "Other"},
    {"primary", "Chính", "Primary"},
    {"backup", "Dự phòng", "Backup"},
};

const char *histreport_i18n_label(enum histreport_label k, enum histreport_lang lang)
{
	return labels[k][lang == HISTREPORT_EN];
}

const char *histreport_i18n_term(const char *value, enum histreport_lang lang)
{
	for (size_t i = 0; value && i < sizeof(terms) / sizeof(terms[0]); i++)
		if (!strcmp(terms[i][0], value))
			return terms[i][lang == HISTREPORT_EN ? 2 : 1];
	return value;
}
