// Small progressive enhancements; every page works without them.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (!(form instanceof HTMLFormElement)) return;
  const confirmText = form.dataset.confirm;
  if (confirmText && !window.confirm(confirmText)) {
    event.preventDefault();
    return;
  }
  // Prevent double submission of the same form.
  for (const b of form.querySelectorAll('button[type="submit"]')) b.disabled = true;
});
