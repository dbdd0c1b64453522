// A modal <dialog> (native focus containment and Escape); focus returns to the control that opened it.
import { h } from './dom.js';
import { t } from './i18n.js';

export function openDialog(title, build, { wide } = {}) {
  const opener = document.activeElement;
  const titleId = 'dialog-title-' + Date.now();
  const body = h('div', { class: 'dialog-body' });
  const dialog = h('dialog', { class: wide ? 'wide' : null, 'aria-labelledby': titleId },
    h('div', { class: 'dialog-head' },
      h('h2', { id: titleId }, title),
      h('button', { type: 'button', class: 'link close', onclick: () => dialog.close() }, t('close'))),
    body);
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (opener && opener.isConnected) opener.focus();
  });
  document.body.append(dialog);
  build(body, () => dialog.close(), dialog);
  dialog.showModal();
  const first = body.querySelector('input, select, textarea, button');
  if (first) first.focus();
  return dialog;
}
