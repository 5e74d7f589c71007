// What a thumb can hit: every focusable or clickable control, measured as laid out. A radio
// or checkbox counts with its label (tapping the label works the control), as WCAG's target
// size does. Returns a line per target under 44x44 px.
() => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary,' +
    '[role=button], [role=option], [tabindex]:not([tabindex="-1"])';
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (el.closest('details:not([open])') && el.tagName !== 'SUMMARY') continue;
    let box = el.getBoundingClientRect();
    if (['checkbox', 'radio'].includes(el.type)) {
      const label = el.closest('label') || (el.id && document.querySelector(`label[for="${el.id}"]`));
      if (label) box = label.getBoundingClientRect();
    }
    // Hidden on purpose (display none, the skip link off screen, a chip's own radio).
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
    // Not a tap target at all (the advocate map on a phone, whose table lists the same people).
    if (style.pointerEvents === 'none') continue;
    if (box.right < 0 || box.left > window.innerWidth) continue;
    if (box.width < 44 || box.height < 44) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.type || '')
        .trim().replace(/\s+/g, ' ').slice(0, 40);
      small.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}
