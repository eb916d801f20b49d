# Readiness reports for the integration tests, made and delivered the way
# an office does.  The caller sets K (keys: NAME.pem), SPOOL and H_TMP.

# report FILE OFFICE MINUTES-AGO DESK-PROTECTED: a filled-in report.
report() {
	cat >"$1" <<REP
# readiness report, office $2
office = $2
report-time = "$(date -u -d "-$3 minutes" +%Y-%m-%dT%H:%M:%SZ)"
security-level = 2
framework = decree85
approval = approved
pre-check = "2025-11-20"
lan-segmented = yes
desk-pcs-protected = $4
desk-pcs-total = 4
pcs-protected = 40
pcs-total = 40
monitoring = yes
last-inspection = "$(date -d '-30 days' +%Y-%m-%d)"
next-inspection = "none"
last-drill = "$(date -d '-60 days' +%Y-%m-%d)"
REP
}

# sign NAME KEY: $H_TMP/NAME.sig for the prepared $H_TMP/NAME.
sign() {
	openssl pkeyutl -sign -rawin -inkey "$K/$2.pem" -in "$H_TMP/$1" -out "$H_TMP/$1.sig"
}

# drop NAME KEY: sign the prepared $H_TMP/NAME and move it into the spool the
# way an office should: temp name first, rename, signature last.
drop() {
	sign "$1" "$2"
	cp "$H_TMP/$1" "$SPOOL/.$1.tmp" && mv "$SPOOL/.$1.tmp" "$SPOOL/$1"
	cp "$H_TMP/$1.sig" "$SPOOL/.$1.sig.tmp" && mv "$SPOOL/.$1.sig.tmp" "$SPOOL/$1.sig"
}
