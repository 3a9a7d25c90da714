#!/usr/bin/env python3
"""Independent check of Pelacak's headline figures on the real public exports in
../shared/realdata (Maven CRM, Superstore, Olist marketing funnel), with the standard library only, so the engine's
report can be compared with figures computed by another route:

    python3 scripts/check_realdata.py
"""
import csv, statistics, datetime, collections, math

import os
# The real exports sit beside the checkout (../shared/realdata); they are never copied in.
BASE = os.environ.get('REALDATA', os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'realdata'))
D = datetime.date.fromisoformat

def pct(xs, p):  # numpy default linear interpolation
    xs = sorted(xs); n = len(xs)
    h = (n - 1) * p / 100.0
    lo = math.floor(h); hi = min(lo + 1, n - 1)
    return xs[lo] + (h - lo) * (xs[hi] - xs[lo])

def r2(x): return f'{x:.2f}'
def show(label, x):
    if isinstance(x, float): print(f'{label}: {x!r} (~{r2(x)})')
    else: print(f'{label}: {x}')

def months(a, b):
    y, m = a.year, a.month
    while (y, m) <= (b.year, b.month):
        yield f'{y:04d}-{m:02d}'
        m += 1
        if m == 13: y, m = y + 1, 1

# ---------------- A. maven_crm ----------------
print('=== A. maven_crm ===')
rows = list(csv.DictReader(open(f'{BASE}/maven_crm/sales_pipeline.csv', encoding='utf-8-sig', newline='')))
roster = {r['sales_agent']: r for r in csv.DictReader(open(f'{BASE}/maven_crm/sales_teams.csv', encoding='utf-8-sig', newline=''))}
prices = {r['product'].replace(' ', '').lower(): float(r['sales_price'])
          for r in csv.DictReader(open(f'{BASE}/maven_crm/products.csv', encoding='utf-8-sig', newline=''))}
show('rows', len(rows))
show('stage counts', dict(collections.Counter(r['deal_stage'] for r in rows)))
for r in rows:
    r['ed'] = D(r['engage_date']) if r['engage_date'] else None
    r['cd'] = D(r['close_date']) if r['close_date'] else None
    r['amt'] = float(r['close_value']) if r['close_value'] != '' else None
closed = [r for r in rows if r['deal_stage'] in ('Won', 'Lost')]
openr = [r for r in rows if r['deal_stage'] in ('Engaging', 'Prospecting')]
ev_closed = [r['ed'] for r in closed if r['ed']] + [r['cd'] for r in closed if r['cd']]
ev_all = ev_closed + [r['ed'] for r in openr if r['ed']]
frm, to = min(ev_closed), max(ev_closed)
show('from (won/lost engage+close dates)', frm)
show('to = asOf', to)
show('from if open deals\' engage_dates also count as events', min(ev_all))
show('to if open deals\' engage_dates also count as events', max(ev_all))
show('earliest close_date', min(r['cd'] for r in closed)); show('latest close_date', max(r['cd'] for r in closed))
show('earliest engage_date (all deals)', min(r['ed'] for r in rows if r['ed']))
show('latest engage_date (all deals)', max(r['ed'] for r in rows if r['ed']))
show('closed deals with close_date missing', sum(1 for r in closed if not r['cd']))
show('closed deals with engage_date missing', sum(1 for r in closed if not r['ed']))
show('open deals with engage_date missing', sum(1 for r in openr if not r['ed']))
show('open deals with close_date set', sum(1 for r in openr if r['cd']))
show('open deals with close_value set', sum(1 for r in openr if r['amt'] is not None))
show('close before engage (closed deals)', sum(1 for r in closed if r['ed'] and r['cd'] < r['ed']))
show('lost deals amount sum', sum(r['amt'] or 0 for r in closed if r['deal_stage'] == 'Lost'))
show('lost deals with nonzero amount', sum(1 for r in closed if r['deal_stage'] == 'Lost' and r['amt']))
show('duplicate opportunity_id', len(rows) - len({r['opportunity_id'] for r in rows}))
unknown_agents = sorted({r['sales_agent'] for r in rows} - set(roster))
show('pipeline agents not in roster', unknown_agents)
show('roster agents without deals', sorted(set(roster) - {r['sales_agent'] for r in rows}))

inr = [r for r in closed if r['cd'] and frm <= r['cd'] <= to]
won = [r for r in inr if r['deal_stage'] == 'Won']
lost = [r for r in inr if r['deal_stage'] == 'Lost']
won_amt = [r['amt'] for r in won if r['amt'] is not None]
revenue = sum(won_amt)
show('revenue', revenue)
show('dealsWon', len(won)); show('dealsLost', len(lost))
show('won deals with empty close_value', sum(1 for r in won if r['amt'] is None))
show('won deals with close_value == 0', sum(1 for r in won if r['amt'] == 0))
show('dealsOpen', len(openr))
show('  Engaging', sum(1 for r in openr if r['deal_stage'] == 'Engaging'))
show('  Prospecting', sum(1 for r in openr if r['deal_stage'] == 'Prospecting'))
show('openPipeline from close_value (open deals with a value)', sum(r['amt'] for r in openr if r['amt'] is not None))
show('avgDealSize', revenue / len(won))
show('medianDealSize', float(statistics.median(won_amt)))
show('winRate', len(won) / (len(won) + len(lost)))
created = [r for r in rows if r['ed'] and frm <= r['ed'] <= to]
cw = [r for r in created if r['deal_stage'] == 'Won']
show('deals created in range (all stages)', len(created))
show('  of which Won', len(cw))
show('  by stage', dict(collections.Counter(r['deal_stage'] for r in created)))
show('deals with no engage_date (excluded from cohort)', sum(1 for r in rows if not r['ed']))
show('winRateCreatedCohort', len(cw) / len(created))
cyc = [(r['cd'] - r['ed']).days for r in won if r['ed']]
show('salesCycle n', len(cyc))
show('salesCycleDays.mean', statistics.mean(cyc))
show('salesCycleDays.median', float(statistics.median(cyc)))
show('salesCycleDays.p90', float(pct(cyc, 90)))
show('salesCycle min/max', (min(cyc), max(cyc)))

print('\n-- monthly series (month, revenue, dealsWon, dealsLost, avgDealSize, winRate) --')
ser = {m: [0.0, 0, 0] for m in months(frm, to)}
for r in won: s = ser[r['cd'].strftime('%Y-%m')]; s[0] += r['amt'] or 0; s[1] += 1
for r in lost: ser[r['cd'].strftime('%Y-%m')][2] += 1
for m, (rv, w, l) in ser.items():
    ads = r2(rv / w) if w else 'null'
    wr = f'{w/(w+l):.4f}' if w + l else 'null'
    print(f'| {m} | {rv:.2f} | {w} | {l} | {ads} | {wr} |')
show('series sum revenue', sum(v[0] for v in ser.values()))

def breakdown(keyf, label, top=None, with_open=False):
    agg = collections.defaultdict(lambda: [0.0, 0, 0, 0])
    for r in won: a = agg[keyf(r)]; a[0] += r['amt'] or 0; a[1] += 1
    for r in lost: agg[keyf(r)][2] += 1
    if with_open:
        for r in openr: agg[keyf(r)][3] += 1
    items = sorted(agg.items(), key=lambda kv: (-kv[1][0], kv[0]))
    if top: items = items[:top]
    print(f'\n-- {label} (key, revenue, won, lost, winRate{", open" if with_open else ""}) --')
    for k, (rv, w, l, o) in items:
        wr = w / (w + l) if w + l else float('nan')
        print(f'| {k} | {rv:.2f} | {w} | {l} | {wr:.6f} |' + (f' {o} |' if with_open else ''))
    return agg
breakdown(lambda r: r['sales_agent'], 'byRep top 5', top=5)
breakdown(lambda r: roster.get(r['sales_agent'], {}).get('regional_office', '(none)'), 'byRegion', with_open=True)
breakdown(lambda r: roster.get(r['sales_agent'], {}).get('manager', '(none)'), 'byTeam (manager)', with_open=True)
breakdown(lambda r: r['product'], 'byProduct (pipeline spelling)', with_open=True)

print('\n-- open pipeline valued at list price --')
tot = 0.0; bystage = collections.defaultdict(lambda: [0, 0.0]); unmatched = 0
byprod = collections.defaultdict(lambda: [0, 0.0])
for r in openr:
    p = prices.get(r['product'].replace(' ', '').lower())
    if p is None: unmatched += 1; continue
    tot += p; bystage[r['deal_stage']][0] += 1; bystage[r['deal_stage']][1] += p
    byprod[r['product']][0] += 1; byprod[r['product']][1] += p
show('open deals unmatched to a price', unmatched)
show('openPipeline at list price', tot)
for s, (c, a) in sorted(bystage.items()): print(f'| {s} | {c} | {a:.2f} |')
for s, (c, a) in sorted(byprod.items()): print(f'  product {s}: {c} deals, {a:.2f}')

# ---------------- B. superstore ----------------
print('\n=== B. superstore ===')
raw = open(f'{BASE}/superstore/superstore_orders.csv', 'rb').read()
show('starts with UTF-8 BOM', raw.startswith(b'\xef\xbb\xbf'))
srows = list(csv.DictReader(open(f'{BASE}/superstore/superstore_orders.csv', encoding='utf-8-sig', newline='')))
show('header', list(srows[0].keys()))
import re
fmt = collections.Counter(re.sub(r'\d', '9', r['Order Date']) for r in srows)
show('Order Date textual shapes (9=digit)', dict(fmt))
hy = [tuple(int(x) for x in r['Order Date'].split('-')) for r in srows if '-' in r['Order Date']]
sl = [tuple(int(x) for x in r['Order Date'].split('/')) for r in srows if '/' in r['Order Date']]
show('hyphen NN-NN-YY values', len(hy))
show('  hyphen values with first part > 12', sum(1 for a, b, c in hy if a > 12))
show('  hyphen values with middle part > 12', sum(1 for a, b, c in hy if b > 12))
show('slash N/N/YYYY values', len(sl))
show('  slash values with first part > 12', sum(1 for a, b, c in sl if a > 12))
show('  slash values with middle part > 12', sum(1 for a, b, c in sl if b > 12))
show('example slash value', next(r['Order Date'] for r in srows if '/' in r['Order Date']))
def pdate(s, dayfirst=False):
    if '/' in s:
        m, d, y = map(int, s.split('/')); return datetime.date(y, m, d)
    a, b, y = map(int, s.split('-')); y += 2000
    return datetime.date(y, b, a) if dayfirst else datetime.date(y, a, b)
for df in (False, True):
    gaps = [(pdate(r['Ship Date'], df) - pdate(r['Order Date'], df)).days for r in srows]
    show(f'Ship-Order gap range with hyphen dates read {"DD-MM" if df else "MM-DD"}', (min(gaps), max(gaps)))
show('rows whose Order ID year != Order Date year', sum(1 for r in srows if int(r['Order ID'].split('-')[1]) != pdate(r['Order Date']).year))
from decimal import Decimal
for r in srows:
    r['d'] = pdate(r['Order Date']); r['s'] = float(r['Sales']); r['dec'] = Decimal(r['Sales'])
show('exact Decimal revenue total', sum(r['dec'] for r in srows))
show('rows', len(srows))
oid = collections.Counter(r['Order ID'] for r in srows)
show('distinct Order ID', len(oid))
show('rows sharing an Order ID with another row', sum(c for c in oid.values() if c > 1))
show('Order IDs appearing on >1 row', sum(1 for c in oid.values() if c > 1))
sales = [r['s'] for r in srows]
rev = math.fsum(sales)
show('revenue total', rev)
show('mean Sales per row', rev / len(sales))
show('median Sales per row', float(statistics.median(sales)))
show('median Sales per row (exact Decimal)', statistics.median([r['dec'] for r in srows]))
show('Order Date min', min(r['d'] for r in srows)); show('Order Date max', max(r['d'] for r in srows))
show('negative/zero Sales rows', sum(1 for s in sales if s <= 0))
agg = collections.defaultdict(list)
for r in srows: agg[r['Region']].append(r['s'])
print('-- revenue by Region --')
for k, v in sorted(agg.items(), key=lambda kv: -math.fsum(kv[1])): print(f'| {k} | {math.fsum(v)!r} | {math.fsum(v):.2f} | {len(v)} rows |')
for k in sorted(agg): print(f'  exact Decimal {k}:', sum(r['dec'] for r in srows if r['Region'] == k))
agg = collections.defaultdict(list)
for r in srows: agg[r['d'].year].append(r['s'])
print('-- revenue by year --')
for k, v in sorted(agg.items()): print(f'| {k} | {math.fsum(v)!r} | {math.fsum(v):.2f} | {len(v)} rows |')
agg = collections.defaultdict(list)
for r in srows: agg[r['d'].strftime('%Y-%m')].append(r['s'])
print('-- revenue for selected months --')
for m in ('2014-01', '2015-12', '2017-12'):
    v = agg[m]; print(f'| {m} | {math.fsum(v)!r} | {math.fsum(v):.2f} | {len(v)} rows |')
show('number of months with orders', len(agg))

# ---------------- C. olist_funnel (leads) ----------------
print('\n=== C. olist_funnel (leads → customers) ===')
def rd(path):
    return list(csv.DictReader(open(path, encoding='utf-8-sig', newline='')))
def dmy(s):  # DD-MM-YYYY[ HH:MM] → calendar date (the time part is dropped, never shifted)
    d, m, y = map(int, s.split(' ')[0].split('-')); return datetime.date(y, m, d)
leads = rd(f'{BASE}/olist_funnel/olist_marketing_qualified_leads_dataset.csv')
odeals = rd(f'{BASE}/olist_funnel/olist_closed_deals_dataset.csv')
# Day-first is proven by the values, not assumed: some first parts exceed 12, no middle part does.
for name, col, rs in (('first_contact_date', 'first_contact_date', leads), ('won_date', 'won_date', odeals)):
    shapes = collections.Counter(re.sub(r'\d', '9', r[col]) for r in rs)
    show(f'{name} shapes (9=digit)', dict(shapes))
    show(f'  {name} values with first part > 12 / middle part > 12',
         (sum(1 for r in rs if int(r[col][:2]) > 12), sum(1 for r in rs if int(r[col][3:5]) > 12)))
show('leads rows', len(leads)); show('distinct lead mql_id', len({r['mql_id'] for r in leads}))
show('deals rows', len(odeals)); show('distinct deal mql_id', len({r['mql_id'] for r in odeals}))
show('leads with empty first_contact_date', sum(1 for r in leads if not r['first_contact_date'].strip()))
show('deals with empty won_date', sum(1 for r in odeals if not r['won_date'].strip()))
for r in leads: r['cd'] = dmy(r['first_contact_date'])
for r in odeals: r['wd'] = dmy(r['won_date'])
lead_by_id = {r['mql_id']: r for r in leads}
o_events = [r['cd'] for r in leads] + [r['wd'] for r in odeals]
ofrm, oto = min(o_events), max(o_events)
show('from (earliest lead created / deal won date)', ofrm)
show('to = asOf (latest such date)', oto)
show('earliest/latest lead created', (min(r['cd'] for r in leads), max(r['cd'] for r in leads)))
show('earliest/latest deal won', (min(r['wd'] for r in odeals), max(r['wd'] for r in odeals)))
deals_by_lead = collections.defaultdict(list)
for r in odeals: deals_by_lead[r['mql_id']].append(r)
cohort = [r for r in leads if ofrm <= r['cd'] <= oto]
def is_customer(l, upto=None):
    return any(upto is None or d['wd'] <= upto for d in deals_by_lead.get(l['mql_id'], ()))
cust = [l for l in cohort if is_customer(l)]
show('cohort (leads created in range)', len(cohort))
show('MQL (every lead is an MQL)', len(cohort))
show('customers (cohort leads with a linked won deal)', len(cust))
show('customers whose deal was won by `to`', sum(1 for l in cohort if is_customer(l, oto)))
show('leadToCustomer overall', len(cust) / len(cohort))
show('mql→customer (= leadToCustomer, MQL = lead)', len(cust) / len(cohort))
show('deals linking to no lead', sum(1 for d in odeals if d['mql_id'] not in lead_by_id))
show('leads with more than one linked deal', sum(1 for v in deals_by_lead.values() if len(v) > 1))
show('deals won before their lead\'s first contact', sum(1 for d in odeals if d['mql_id'] in lead_by_id and d['wd'] < lead_by_id[d['mql_id']]['cd']))
show('deals won on the day of first contact', sum(1 for d in odeals if d['mql_id'] in lead_by_id and d['wd'] == lead_by_id[d['mql_id']]['cd']))
lag = [(d['wd'] - lead_by_id[d['mql_id']]['cd']).days for d in odeals if d['mql_id'] in lead_by_id]
show('days first contact → won: median', float(statistics.median(lag)))
show('  mean', statistics.mean(lag)); show('  p90', float(pct(lag, 90)))
print('-- per origin (origin, leads, customers, leadToCustomer); empty origin = (empty) --')
byo = collections.defaultdict(lambda: [0, 0])
for l in cohort:
    a = byo[l['origin'].strip() or '(empty)']; a[0] += 1; a[1] += is_customer(l)
for k, (n, c) in sorted(byo.items(), key=lambda kv: (-kv[1][0], kv[0])):
    print(f'| {k} | {n} | {c} | {c / n!r} |')
show('origin groups', len(byo))

# ---------------- D. maven_crm pipeline by stage ----------------
print('\n=== D. maven_crm pipeline by stage ===')
# Reloaded afresh so this section does not depend on section A's variables.
mp = rd(f'{BASE}/maven_crm/sales_pipeline.csv')
mroster = {r['sales_agent'].strip(): r['regional_office'].strip() for r in rd(f'{BASE}/maven_crm/sales_teams.csv')}
mprice = {r['product'].replace(' ', '').lower(): float(r['sales_price']) for r in rd(f'{BASE}/maven_crm/products.csv')}
for r in mp:
    r['ed'] = D(r['engage_date']) if r['engage_date'].strip() else None
    r['cd'] = D(r['close_date']) if r['close_date'].strip() else None
    r['val'] = float(r['close_value']) if r['close_value'].strip() else None
    r['lp'] = mprice.get(r['product'].replace(' ', '').lower())
    r['st'] = {'Won': 'won', 'Lost': 'lost'}.get(r['deal_stage'], 'open')
show('stages present', sorted({r['deal_stage'] for r in mp}))
mev = [r['ed'] for r in mp if r['ed']] + [r['cd'] for r in mp if r['st'] != 'open' and r['cd']]
mfrm, masof = min(mev), max(mev)
show('from (earliest created/closed date)', mfrm); show('to = asOf (latest created/closed date)', masof)
mwon = [r for r in mp if r['st'] == 'won' and r['cd'] and mfrm <= r['cd'] <= masof]
mlost = [r for r in mp if r['st'] == 'lost' and r['cd'] and mfrm <= r['cd'] <= masof]
mopen = [r for r in mp if r['st'] == 'open' and (r['ed'] is None or r['ed'] <= masof)]
wr = len(mwon) / (len(mwon) + len(mlost))
show('overall win rate won/(won+lost)', wr)
show('open deals as of asOf', len(mopen))
show('open deals whose product has no list price', sum(1 for r in mopen if r['lp'] is None))
show('open deals with their own close_value', sum(1 for r in mopen if r['val'] is not None))
print('-- byStage (stage, count, amount at list price, weighted amount = amount × overall win rate) --')
tot_c = tot_a = tot_w = 0
for stage in ('Prospecting', 'Engaging'):
    ds = [r for r in mopen if r['deal_stage'] == stage]
    amt = math.fsum(r['val'] if r['val'] is not None else (r['lp'] or 0) for r in ds)
    w = math.fsum((r['val'] if r['val'] is not None else (r['lp'] or 0)) * wr for r in ds)
    tot_c += len(ds); tot_a += amt; tot_w += w
    print(f'| {stage} | {len(ds)} | {amt!r} | {w!r} |')
print(f'| total | {tot_c} | {tot_a!r} | {tot_w!r} |')
show('weighted pipeline (total amount × win rate)', tot_a * wr)
mcyc = [(r['cd'] - r['ed']).days for r in mwon if r['ed']]
p90 = pct(mcyc, 90)
show('p90 sales cycle (won in range, close − engage)', float(p90))
aged = [r for r in mopen if r['ed']]
stalled = [r for r in aged if (masof - r['ed']).days > p90]
show('open deals that can be aged (have engage_date)', len(aged))
show('open deals without engage_date (cannot be aged)', len(mopen) - len(aged))
show('  of which by stage', dict(collections.Counter(r['deal_stage'] for r in mopen if not r['ed'])))
show('stalled: age > p90 sales cycle', len(stalled))
show('  stalled by stage', dict(collections.Counter(r['deal_stage'] for r in stalled)))
show('  aged deals with age exactly = p90 (not stalled)', sum(1 for r in aged if (masof - r['ed']).days == p90))
show('  stalled amount at list price', math.fsum(r['lp'] or 0 for r in stalled))
ages = sorted(((masof - r['ed']).days for r in stalled), reverse=True)
show('  stalled ages max/min', (ages[0], ages[-1]) if ages else None)
show('  oldest open deals (id, owner, age)', [(r['opportunity_id'], r['sales_agent'], (masof - r['ed']).days)
      for r in sorted(stalled, key=lambda r: (r['ed'], r['opportunity_id']))[:3]])

# ---------------- E. maven_crm territories ----------------
print('\n=== E. maven_crm territories ===')
def reg(r): return mroster.get(r['sales_agent'].strip())
show('deals whose rep has no roster region', sum(1 for r in mp if reg(r) is None))
created_in = [r for r in mp if r['ed'] and mfrm <= r['ed'] <= masof]
T = collections.defaultdict(lambda: {'reps': set(), 'rev': 0.0, 'won': 0, 'lost': 0, 'open': 0, 'pipe': 0.0})
for r in mwon: t = T[reg(r)]; t['rev'] += r['val'] or 0; t['won'] += 1
for r in mlost: T[reg(r)]['lost'] += 1
for r in mopen: t = T[reg(r)]; t['open'] += 1; t['pipe'] += r['val'] if r['val'] is not None else (r['lp'] or 0)
for r in mwon + mlost + mopen + created_in: T[reg(r)]['reps'].add(r['sales_agent'].strip())
deal_reps = {k: set(v['reps']) for k, v in T.items()}
for rep, region in mroster.items(): T[region]['reps'].add(rep)
print('-- (region, reps, revenue, won, lost, winRate, open, openPipeline, revenuePerRep, pipelinePerRep) --')
ppr = {}
for k, t in sorted(T.items(), key=lambda kv: -kv[1]['rev']):
    n = len(t['reps']); wr_k = t['won'] / (t['won'] + t['lost']) if t['won'] + t['lost'] else None
    ppr[k] = t['pipe'] / n
    print(f'| {k} | {n} | {t["rev"]!r} | {t["won"]} | {t["lost"]} | {wr_k!r} | {t["open"]} | {t["pipe"]!r} | {t["rev"] / n!r} | {ppr[k]!r} |')
    show(f'  {k} roster-only reps (no deal that matters)', sorted(t['reps'] - deal_reps.get(k, set())))
mean_ppr = statistics.fmean(ppr.values())
cv = statistics.pstdev(ppr.values()) / mean_ppr
show('mean pipeline per rep (unweighted over regions)', mean_ppr)
show('imbalance = CV (population std / mean)', cv)
for k, v in sorted(ppr.items()):
    ratio = v / mean_ppr
    tag = 'overloaded (>1.25×)' if ratio > 1.25 else 'underloaded (<0.75×)' if ratio < 0.75 else 'balanced'
    print(f'| {k} | ratio {ratio!r} | {tag} | shortfall/excess vs mean×reps {mean_ppr * len(T[k]["reps"]) - T[k]["pipe"]!r} |')
show('reps if only deal owners counted (no roster)', {k: len(v) for k, v in sorted(deal_reps.items())})
