// Small behaviours for every page; the pages work without them.
"use strict";

// Forms that change something hard to undo ask first (data-confirm="question").
document.addEventListener("submit", (event) => {
  const question = event.target.dataset ? event.target.dataset.confirm : undefined;
  if (question && !window.confirm(question)) {
    event.preventDefault();
  }
});
