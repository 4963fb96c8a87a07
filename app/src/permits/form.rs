//! The application form of a work permit (《工作联络单》), as the front
//! desk types in what the contractor filled in: company, team leader and
//! phone, scope, place (a show flat and/or an area), date, time window and
//! headcount. The rules are [`PermitForm::application`]'s.

use crate::core::store::Store;
use crate::permits::view::PermitForm;
use crate::permits::words::Words;
use crate::ui::bound_input::bound_input;
use crate::words::i18n::Msg;
use leptos::prelude::*;

/// The form; closes itself (`open`) once the application is saved.
#[component]
pub fn PermitApplyForm(open: RwSignal<bool>) -> impl IntoView {
    let store = expect_context::<Store>();
    let lang = store.signals.lang;
    let form = RwSignal::new(PermitForm::new(&crate::platform::clock::today()));
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let flats = store.flats();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let result = form
            .with_untracked(|f| f.application(lang.get_untracked()))
            .map_err(|e| e.0)
            .and_then(|app| {
                store
                    .apply_permit(&app)
                    .map_err(|e| e.text(lang.get_untracked()))
            });
        match result {
            Ok(()) => open.set(false),
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <form class="card member-form permit-form" data-testid="permit-form" on:submit=submit>
            <div class="fields">
                {bound_input(form, "", "text", "company", Words::Company, |f| f.company.clone(), |f, v| f.company = v)}
                {bound_input(form, "", "text", "team-leader", Words::TeamLeader, |f| f.leader.clone(), |f, v| f.leader = v)}
                {bound_input(form, "", "tel", "phone", Words::Phone, |f| f.phone.clone(), |f, v| f.phone = v)}
                <label class="wide">
                    <span>{move || Words::Scope.text(lang.get())}</span>
                    <input name="scope" autocomplete="off" prop:value=move || form.with(|f| f.scope.clone())
                        on:input=move |ev| { let v = event_target_value(&ev); form.update(|f| f.scope = v); }/>
                </label>
                <label>
                    <span>{move || Msg::KeyFlat.text(lang.get())}</span>
                    <select name="flat" on:change=move |ev| { let v = event_target_value(&ev); form.update(|f| f.flat = v); }>
                        <option value="">{move || Msg::NoFlat.text(lang.get())}</option>
                        {flats.into_iter().map(|fl| {
                            let name = fl.name.clone();
                            view! { <option value=fl.flat_id.clone()>{move || name.get(lang.get()).to_owned()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {bound_input(form, "", "text", "area", Msg::Area, |f| f.area.clone(), |f, v| f.area = v)}
                {bound_input(form, "", "date", "date", Words::WorkDate, |f| f.date.clone(), |f, v| f.date = v)}
                {bound_input(form, "", "time", "from", Msg::From, |f| f.from.clone(), |f, v| f.from = v)}
                {bound_input(form, "", "time", "to", Msg::To, |f| f.to.clone(), |f, v| f.to = v)}
                {bound_input(form, "", "number", "headcount", Words::Headcount, |f| f.headcount.clone(), |f, v| f.headcount = v)}
            </div>
            {move || error.get().map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <div class="form-actions">
                <button class="btn primary" type="submit" data-action="submit-permit">{move || Words::SubmitApplication.text(lang.get())}</button>
                <button class="btn secondary" type="button" on:click=move |_| open.set(false)>{move || Msg::Cancel.text(lang.get())}</button>
            </div>
        </form>
    }
}
