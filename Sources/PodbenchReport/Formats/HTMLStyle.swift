/// The HTML report's stylesheet: light and dark through custom properties, and print.
///
/// On paper the folded sections (the fingerprint, the unchanged metrics) are shown open:
/// a closed `<details>` hides its content through `::details-content` (Chromium 131,
/// Firefox 143, Safari 18.4), which only that pseudo-element can show again; styling the
/// children does nothing. It is a rule of its own, so a browser that does not know the
/// selector drops that rule and no other.
enum HTMLStyle {
    static let css = """
        :root{color-scheme:light dark;--bg:#fff;--fg:#1b1f24;--muted:#59636e;--grid:#d1d9e0;--panel:#f6f8fa;--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--flaky:#9a6700;--flaky-bg:#fff8c5;--skip:#59636e;--skip-bg:#eff2f5;--p50:#0969da;--p99:#bc4c00;--bad:#cf222e;--good:#1a7f37;--baseline:#8250df}
        @media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--grid:#3d444d;--panel:#151b23;--pass:#3fb950;--pass-bg:#12261e;--fail:#f85149;--fail-bg:#2d1215;--flaky:#d29922;--flaky-bg:#272115;--skip:#9198a1;--skip-bg:#212830;--p50:#4493f8;--p99:#f0883e;--bad:#ff7b72;--good:#3fb950;--baseline:#bc8cff}}
        *{box-sizing:border-box}
        body{margin:0 auto;max-width:1200px;padding:1.5rem;background:var(--bg);color:var(--fg);font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif}
        h1{font-size:1.6rem;margin:0 0 .6rem}h2{font-size:1.25rem;border-bottom:1px solid var(--grid);padding-bottom:.3rem;margin-top:2rem}
        nav{margin:1rem 0;color:var(--muted)}a{color:var(--p50)}
        .facts{display:flex;flex-wrap:wrap;gap:.4rem 1.6rem;margin:0}.facts dt{color:var(--muted);font-size:.8rem}.facts dd{margin:0;font-weight:600}
        .counts{margin:.8rem 0}.count{display:inline-block;padding:0 .4rem;border-radius:4px;margin-right:.2rem}
        table{border-collapse:collapse;margin:.5rem 0}th,td{text-align:left;padding:.3rem .6rem;border-bottom:1px solid var(--grid);vertical-align:top}
        .badge{display:inline-block;padding:.05rem .5rem;border-radius:1rem;font-size:.8rem;font-weight:600;vertical-align:middle}
        .pass,.improved{color:var(--pass);background:var(--pass-bg)}.fail,.regressed{color:var(--fail);background:var(--fail-bg)}
        .flaky,.error,.inconclusive,.warnings,.interrupted{color:var(--flaky);background:var(--flaky-bg)}.skip,.skipped,.unchanged{color:var(--skip);background:var(--skip-bg)}
        tr.unchanged,tr.improved,tr.regressed,tr.fail{background:none}tr.regressed td,tr.fail td{color:var(--fail);font-weight:600}
        .matrix{width:100%}.matrix th[scope=row]{white-space:nowrap}.cells{display:flex;flex-wrap:wrap;gap:.35rem}
        .cell{border-radius:4px;padding:.2rem .45rem;font-size:.85rem;max-width:100%}.cell p{margin:.2rem 0 0;font-size:.8rem;color:var(--fg);overflow-wrap:anywhere}
        .cell .level{font-size:.7rem;opacity:.8}.cell .outcome{font-size:.7rem;text-transform:uppercase}
        .error{margin:0 0 .3rem}.warning{color:var(--flaky);font-weight:600}
        figure{margin:1rem 0;padding:.8rem;background:var(--panel);border:1px solid var(--grid);border-radius:6px;break-inside:avoid}
        figcaption{font-weight:600;margin-bottom:.4rem}figure.metric{display:grid;grid-template-columns:minmax(0,1fr) 13rem;gap:1rem;align-items:start}
        figure.metric figcaption{grid-column:1/-1}.figures th{color:var(--muted);font-weight:normal}.figures td{text-align:right;font-variant-numeric:tabular-nums}
        figure.regressed{border-color:var(--bad)}.trends{display:grid;grid-template-columns:repeat(auto-fill,minmax(460px,1fr));gap:0 1rem}.trends figure{margin:.5rem 0}
        footer{margin-top:2rem;color:var(--muted);font-size:.8rem}
        details summary{cursor:pointer;color:var(--muted)}details.family{margin:.5rem 0}details.family>summary{font-weight:600;font-size:1rem;color:var(--fg);padding:.3rem 0}
        h3{font-size:1rem;margin:1rem 0 .3rem}figcaption{overflow-wrap:anywhere}.single td:not(:first-child){text-align:right;font-variant-numeric:tabular-nums}
        @media (max-width:700px){figure.metric{grid-template-columns:1fr}.matrix,.matrix tbody,.matrix tr,.matrix td,.matrix th{display:block;width:auto}.matrix thead{display:none}.matrix td,.matrix th{border:none}.matrix tr{border-bottom:1px solid var(--grid);padding:.3rem 0}table:not(.matrix){display:block;overflow-x:auto;max-width:100%}}
        @media print{:root{--bg:#fff;--fg:#000;--panel:#fff;--muted:#444;--grid:#ccc;--p50:#0550ae;--p99:#953800;--bad:#a40e26;--good:#116329;--baseline:#6639ba}body{max-width:none;padding:0;font-size:11px}nav{display:none}figure,tr{break-inside:avoid}summary{list-style:none}}
        @media print{details::details-content{content-visibility:visible}}

        """
}
