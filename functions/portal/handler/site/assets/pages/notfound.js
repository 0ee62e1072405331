// Any path the portal has no page for.
import { h } from '../dom.js';
import { lang, t } from '../i18n.js';

export function render(main, ctx) {
  ctx.setTitle(t('notfound.title'));
  main.append(
    h('h1', null, t('notfound.title')),
    h('p', null, t('notfound.text')),
    h('p', null, h('a', { href: `/${lang}/` }, t('notfound.home'))));
  ctx.focusHeading();
}
