// A rater's page: each answer is one JSON POST to BASE/answer, then the next item loads. Keys mirror the buttons.
(function () {
  const main = document.getElementById('review');
  if (!main) return;
  const base = main.dataset.base;
  const position = Number(main.dataset.position);
  const arena = main.dataset.mode === 'arena';
  const rationale = document.getElementById('rationale');
  const status = document.getElementById('status');
  let busy = false;

  function go(next) {
    location.assign(next > 0 ? base + '?at=' + next : base + '/done');
  }

  async function send(answer) {
    if (busy) return;
    busy = true;
    answer.position = position;
    answer.rationale = rationale.value;
    status.textContent = 'Saving…';
    try {
      const r = await fetch(base + '/answer', {
        method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify(answer),
        credentials: 'omit', cache: 'no-store'
      });
      const body = await r.json();
      if (!r.ok) throw new Error(body.message || ('HTTP ' + r.status));
      go(body.next);
    } catch (e) {
      status.textContent = 'Not saved: ' + e.message;
      busy = false;
    }
  }

  document.querySelectorAll('[data-score]').forEach(b =>
    b.addEventListener('click', () => send({score: Number(b.dataset.score)})));
  document.querySelectorAll('[data-choice]').forEach(b =>
    b.addEventListener('click', () => send({vote: b.dataset.choice})));
  document.getElementById('skip').addEventListener('click', () => send({skip: true}));
  document.getElementById('back').addEventListener('click', () => { if (position > 1) location.assign(base + '?at=' + (position - 1)); });

  const votes = {a: 'A', b: 'B', t: 'TIE', n: 'BOTH_BAD'};
  document.addEventListener('keydown', e => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.target === rationale) {
      if (e.key === 'Escape') rationale.blur();
      return;
    }
    const k = e.key.toLowerCase();
    if (!arena && k >= '1' && k <= '5') send({score: Number(k)});
    else if (arena && votes[k]) send({vote: votes[k]});
    else if (e.key === 'ArrowRight') send({skip: true});
    else if (e.key === 'ArrowLeft' && position > 1) location.assign(base + '?at=' + (position - 1));
    else return;
    e.preventDefault();
  });
})();
