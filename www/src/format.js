// Number and date formatting for display only: the engine computes, this
// file only turns its numbers into text for the reader's locale.

export function money(v, currency, locale = "en-US") {
  if (v === null || v === undefined) return "—";
  if (currency) {
    try {
      return new Intl.NumberFormat(locale, { style: "currency", currency, maximumFractionDigits: 0 }).format(v);
    } catch {
      /* an unknown code: fall through to a plain number with the code */
    }
  }
  const n = new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(v);
  return currency ? `${n} ${currency}` : n;
}

export function count(v, locale = "en-US") {
  return v === null || v === undefined ? "—" : new Intl.NumberFormat(locale).format(v);
}

export function pct(v, locale = "en-US") {
  return v === null || v === undefined ? "—" : new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }).format(v);
}

export function days(v, locale = "en-US") {
  return v === null || v === undefined ? "—" : new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(v);
}
