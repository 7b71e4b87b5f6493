# SYNTAX TEST "source.dockerfile" "Dockerfile Coach comments injected into VS Code's Dockerfile grammar"
# coach: task=gate
# <- comment.line.number-sign.dockerfile meta.directive.task.coach.dockerfile punctuation.definition.comment.dockerfile
# ^^^^^ comment.line.number-sign.dockerfile keyword.control.directive.coach.dockerfile
#      ^ punctuation.separator.key-value.coach.dockerfile
#        ^^^^ variable.other.property.coach.dockerfile
#            ^ keyword.operator.assignment.coach.dockerfile
#             ^^^^ comment.line.number-sign.dockerfile constant.language.task.coach.dockerfile
#coach:task = distroless  (spacing as the engine allows)
# <- comment.line.number-sign.dockerfile
#^^^^^ keyword.control.directive.coach.dockerfile
#             ^^^^^^^^^^ constant.language.task.coach.dockerfile
#                       ^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.dockerfile - constant.language.task.coach.dockerfile
# coach: task=gates
#             ^^^^^ invalid.illegal.unknown-task.coach.dockerfile - constant.language.task.coach.dockerfile
# coach: task=scratch
#             ^^^^^^^ constant.language.task.coach.dockerfile
# coach: task=generic
#             ^^^^^^^ constant.language.task.coach.dockerfile

# A plain comment keeps the base grammar's scopes only.
# <- comment.line.number-sign.dockerfile punctuation.definition.comment.dockerfile - meta.directive.task.coach.dockerfile meta.directive.ignore.coach.dockerfile
# ^^^^^^^ comment.line.number-sign.dockerfile - keyword.control.directive.coach.dockerfile
# coach says hi: not a directive
# ^^^^^ comment.line.number-sign.dockerfile - keyword.control.directive.coach.dockerfile
# coaches: task=gate
# ^^^^^^^ comment.line.number-sign.dockerfile - keyword.control.directive.coach.dockerfile
#               ^^^^ comment.line.number-sign.dockerfile - constant.language.task.coach.dockerfile

FROM node:18.16.0-alpine3.17
# <---- keyword.other.special-method.dockerfile

# coach-ignore non-root-user,exec-form -- the grader runs it as root on purpose
# <- comment.line.number-sign.dockerfile meta.directive.ignore.coach.dockerfile punctuation.definition.comment.dockerfile
# ^^^^^^^^^^^^ keyword.control.directive.coach.dockerfile
#             ^ meta.directive.ignore.coach.dockerfile - variable.other.constant.rule-id.coach.dockerfile
#              ^^^^^^^^^^^^^ variable.other.constant.rule-id.coach.dockerfile
#                           ^ punctuation.separator.comma.coach.dockerfile
#                            ^^^^^^^^^ variable.other.constant.rule-id.coach.dockerfile
#                                      ^^ punctuation.separator.reason.coach.dockerfile
#                                         ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.dockerfile - variable.other.constant.rule-id.coach.dockerfile
   # coach-ignore-file  multi-stage , legacy-builder
# <--- punctuation.whitespace.comment.leading.dockerfile
#  ^ punctuation.definition.comment.dockerfile
#    ^^^^^^^^^^^^^^^^^ keyword.control.directive.coach.dockerfile
#                       ^^^^^^^^^^^ variable.other.constant.rule-id.coach.dockerfile
#                                   ^ punctuation.separator.comma.coach.dockerfile
#                                     ^^^^^^^^^^^^^^ variable.other.constant.rule-id.coach.dockerfile
# coach-ignored pinned-base-image
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.dockerfile - keyword.control.directive.coach.dockerfile variable.other.constant.rule-id.coach.dockerfile
CMD ["node", "index.js"]
# <--- keyword.other.special-method.dockerfile
#    ^^^^^^ string.quoted.double.dockerfile

RUN echo "a string that goes on
# coach-ignore exec-form
# ^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.dockerfile - keyword.control.directive.coach.dockerfile variable.other.constant.rule-id.coach.dockerfile
still inside it"
