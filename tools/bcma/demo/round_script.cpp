// The demo's morning round, as the steps a care worker takes on the scanner. Every verdict the
// demo promises (issue: a wrong resident's medicine, a dose too early, an expired pack, a PRN
// too soon, an allergy, a refusal, a controlled drug needing a witness) is pinned with
// `expect`, so the demo fails loudly if the station ever answers differently.
#include "demo.hpp"

namespace bcma::cli::demo {

std::string_view round_script() {
  return R"script(
say 07:55. Carol, a care worker, starts the morning round. She signs in with her badge and PIN.
scan barcodes/badge-carol.png
expect pin
type 1234
key confirm
expect scan_wristband

say Room 12, Jane Smith. Carol scans Jane's wristband and checks her face against the screen.
scan barcodes/wristband-jane.png
expect resident
choose confirm
say She picks up a paracetamol pack from the trolley. It is labelled for Mary Jones.
scan barcodes/label-mary-paracetamol.png
expect verdict
choose back
say She finds Jane's own labelled paracetamol.
scan barcodes/label-jane-paracetamol.png
expect verdict
choose give
expect quantity
key confirm
expect recorded
choose next_item
scan barcodes/pack-amlodipine.png
choose give
key confirm
expect recorded
choose next_item
say Alendronic acid is weekly, and today is its day.
scan barcodes/pack-alendronic-acid.png
choose give
key confirm
expect recorded
choose next_item
scan barcodes/pack-lansoprazole.png
choose give
key confirm
expect recorded
choose next_resident

say Room 14, John Brown. His co-careldopa (Parkinson's) is time-critical: 08:00, within 15 minutes.
scan barcodes/wristband-john.png
choose confirm
scan barcodes/pack-co-careldopa.png
expect verdict
choose give
key confirm
expect recorded
choose next_item
scan barcodes/pack-amlodipine.png
choose give
key confirm
expect recorded
choose next_resident

say Room 3, Mary Jones, allergic to amoxicillin. A 7-day amoxicillin course arrived overnight.
scan barcodes/wristband-mary.png
choose confirm
scan barcodes/pack-amoxicillin.png
expect verdict
say Blocked: Carol does not give it and tells the nurse in charge, who calls the GP.
choose back
scan barcodes/label-mary-paracetamol.png
choose give
key confirm
expect recorded
choose next_item
scan barcodes/pack-levothyroxine.png
choose give
key confirm
expect recorded
choose next_resident

say Room 7, Peter Green. Oxycodone is a Schedule 2 controlled drug: Sam, a senior, witnesses.
scan barcodes/wristband-peter.png
choose confirm
scan barcodes/label-peter-oxycodone.png
expect verdict
choose acknowledge
choose give
expect witness_badge
scan barcodes/badge-sam.png
expect witness_pin
type 2468
key confirm
expect quantity
key confirm
expect recorded
choose next_item
scan barcodes/pack-metformin.png
choose give
key confirm
expect recorded
choose next_resident

say Room 9, Rose White asks for a painkiller. The night nurse gave her paracetamol at 06:30.
scan barcodes/wristband-rose.png
choose confirm
scan barcodes/pack-paracetamol.png
expect verdict
say Too soon after the last dose: Carol offers a drink and will come back after 10:30.
choose back
scan barcodes/pack-amlodipine.png
choose give
key confirm
expect recorded
choose next_item
scan barcodes/pack-lansoprazole.png
choose give
key confirm
expect recorded
choose next_resident

say Room 5, Arthur Hill. His carbamazepine is prescribed by brand (Tegretol).
scan barcodes/wristband-arthur.png
choose confirm
scan barcodes/pack-tegretol.png
expect verdict
choose give
key confirm
expect recorded
choose next_item
say The first metformin pack on the trolley ran out of date at the end of last month.
scan barcodes/pack-metformin-expired.png
expect verdict
choose back
scan barcodes/pack-metformin.png
choose give
key confirm
expect recorded
choose next_item
say Arthur refuses his levothyroxine this morning.
scan barcodes/pack-levothyroxine.png
expect verdict
choose not_given
expect outcome
choose refused
expect recorded
choose next_resident

say Room 2, Edith Wood. Her fentanyl patch is changed every 3 days, and a witness signs for it.
scan barcodes/wristband-edith.png
choose confirm
scan barcodes/pack-fentanyl.png
expect verdict
choose acknowledge
choose give
expect witness_badge
scan barcodes/badge-sam.png
type 2468
key confirm
expect quantity
key confirm
expect recorded
choose next_item
scan barcodes/pack-paracetamol.png
choose give
key confirm
expect recorded
choose next_resident

say Room 11, Frank Lee.
scan barcodes/wristband-frank.png
choose confirm
scan barcodes/pack-amlodipine.png
choose give
key confirm
expect recorded
choose next_item
scan barcodes/pack-lansoprazole.png
choose give
key confirm
expect recorded
choose next_item
say Frank's metformin is for lunchtime: Carol has picked it up too early.
scan barcodes/pack-metformin.png
expect verdict
choose back
choose sign_out
expect sign_in
say The round is done. The scanner sends what is left in its outbox.
sync 20
)script";
}

}  // namespace bcma::cli::demo
