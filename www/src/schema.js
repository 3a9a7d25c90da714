// The canonical columns of each table kind, as src/schema/kinds.rs defines
// them (tests/e2e/schema.test.mjs fails when the two drift apart). The
// mapping view offers one select per column.
export const KINDS = {
  deals: [
    "id",
    "owner",
    "stage",
    "status",
    "amount",
    "created_date",
    "close_date",
    "account",
    "product",
    "region",
    "team",
    "source",
    "probability",
    "currency",
    "lost_reason",
    "lead_id",
  ],
  stage_history: ["deal_id", "stage", "entered_date"],
  activities: ["rep", "type", "date", "duration_minutes", "deal_id", "account", "outcome"],
  leads: ["id", "created_date", "status", "mql_date", "sql_date", "opportunity_date", "customer_date", "source", "owner", "first_response_at"],
  quotas: ["rep", "team", "region", "amount", "period", "period_start", "period_end"],
  reps: ["rep", "team", "manager", "region", "start_date"],
  products: ["product", "list_price"],
  fx_rates: ["currency", "rate"],
};
