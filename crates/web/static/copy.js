// "Copy" buttons beside the tracking code and the secret (optional: without
// JavaScript the buttons stay hidden and the codes can be selected and copied).
document.querySelectorAll('button[data-copy]').forEach((button) => {
  const target = document.querySelector(button.dataset.copy);
  if (!target || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(target.textContent.trim());
      button.textContent = button.dataset.done;
    } catch (_) {
      button.hidden = true;
    }
  });
});
