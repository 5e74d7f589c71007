from django import forms


class SenderAddressForm(forms.Form):
    email = forms.EmailField(
        label="Another address you send from",
        help_text="We email it a link; it counts as yours once you open the link.",
    )


class StrangerAddForm(forms.Form):
    name = forms.CharField(max_length=200, required=False)
